#!/usr/bin/env bash
# Commit what changed under content/ as one commit with the message given, and push it to
# the branch this workflow run is on. A push rejected because someone else pushed first (a
# maintainer, another run) is retried: fetch the branch, rebase the commit onto it, push
# again, a few times with a growing pause. Needs GH_TOKEN and GITHUB_REF (the workflow's).
set -euo pipefail
message="$1"
bot=(-c user.name="github-actions[bot]"
     -c user.email="41898282+github-actions[bot]@users.noreply.github.com")

git add content
if git diff --cached --quiet; then
  echo "No new content to commit."
  exit 0
fi
git "${bot[@]}" commit --quiet -m "$message"

auth="$(printf 'x-access-token:%s' "$GH_TOKEN" | base64 -w0)"
remote=(-c http.extraheader="AUTHORIZATION: basic $auth")
for attempt in 1 2 3 4 5; do
  if git "${remote[@]}" push --quiet origin "HEAD:$GITHUB_REF"; then
    exit 0
  fi
  echo "Push rejected (try $attempt of 5): rebasing onto the branch as it is now."
  sleep "$attempt"
  git "${remote[@]}" fetch --quiet origin "$GITHUB_REF"
  git "${bot[@]}" rebase --quiet FETCH_HEAD
done
echo "push-content: the push was rejected 5 times; giving up" >&2
exit 1
