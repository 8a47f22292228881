/* Search of the paper pages with Pagefind (generator/search_index.py builds the index).
 *
 * Drives the markup of partials/papers-search.html, which reuses Material's search classes.
 * Nothing of the index is fetched until the reader starts a search: Pagefind's library
 * loads on the first keystroke (or tag choice), then only the index chunks a query needs.
 * Paper text reaches the page as text only (textContent); Pagefind's excerpts are rebuilt
 * node by node, keeping nothing but their <mark> highlights.
 */
(() => {
  "use strict";
  const root = document.querySelector("[data-papers-search]");
  const toggle = document.getElementById("__search");
  const button = document.querySelector("label.md-header__button[for=__search] svg");
  if (!root || !toggle || !button) return;
  /* Material Design Icons (Apache 2.0) as Material for MkDocs ships them: back, close. */
  const icon = (d) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="${d}"/></svg>`;
  const BACK = icon("M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z");
  const CLOSE = icon(
    "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"
  );
  /* Material's search markup (partials/search.html), without its data-md-component hooks. */
  root.innerHTML = `<label class="md-search__overlay" for="__search"></label>
<div class="md-search__inner" role="search">
<form class="md-search__form" name="search">
<input type="text" class="md-search__input" name="query" aria-label="Search papers" placeholder="Search papers" autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" enterkeyhint="search" data-papers-search-query>
<label class="md-search__icon md-icon" for="__search">${button.outerHTML}${BACK}</label>
<nav class="md-search__options" aria-label="Search options">
<button type="reset" class="md-search__icon md-icon" title="Clear" aria-label="Clear" tabindex="-1">${CLOSE}</button>
</nav>
</form>
<div class="md-search__output">
<div class="md-search__scrollwrap" tabindex="0">
<div class="md-search-result">
<div class="md-search-result__meta papers-search__meta">
<span data-papers-search-status aria-live="polite">Type to search every paper</span>
<span class="papers-search__controls" hidden data-papers-search-controls>
<label>Tag <select data-papers-search-tag><option value="">All tags</option></select></label>
<label>Order <select data-papers-search-sort><option value="">Best match</option><option value="day">Newest first</option></select></label>
</span>
</div>
<ol class="md-search-result__list" data-papers-search-results></ol>
<button type="button" class="md-button papers-search__more" hidden data-papers-search-more>More results</button>
</div>
</div>
</div>
</div>`;
  const input = root.querySelector("[data-papers-search-query]");
  const form = input.form;
  const status = root.querySelector("[data-papers-search-status]");
  const controls = root.querySelector("[data-papers-search-controls]");
  const tagSelect = root.querySelector("[data-papers-search-tag]");
  const sortSelect = root.querySelector("[data-papers-search-sort]");
  const list = root.querySelector("[data-papers-search-results]");
  const more = root.querySelector("[data-papers-search-more]");
  const PAGE = 5; // results shown at first; each needs its fragment fetched
  /* A search runs once typing pauses this long: the index chunks of every prefix typed on
     the way ("d", "di", "dif"…) are not fetched. A last word of one or two letters waits
     longer: a slightly slow keystroke would otherwise fetch the large chunk of every word
     that starts with "a" on the way to "agent" (60–90 KB at 10,000 papers). */
  const PAUSE = 130;
  const SHORT_WORD_PAUSE = 400;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  const config = JSON.parse(document.getElementById("__config").textContent);
  const base = new URL(config.base.replace(/\/?$/, "/"), location.href);
  let loading = null;
  let results = [];
  let shown = 0;
  let generation = 0;

  function load() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", base).href).then(async (module) => {
        await module.options({ baseUrl: base.pathname, excerptLength: 24 });
        await module.init();
        controls.hidden = false;
        return module;
      });
      loading.catch(() => {
        loading = null;
        status.textContent = "Search is not available right now.";
      });
    }
    return loading;
  }

  /* The tag list comes from Pagefind's filter index (70 KB at 10,000 papers), fetched when
     the reader reaches for the tag control rather than with every first search. */
  let tagsLoading = null;
  function loadTags() {
    if (!tagsLoading) tagsLoading = load().then((module) => module.filters()).then(fillTags);
    return tagsLoading;
  }

  function fillTags(filters) {
    const counts = (filters && filters.tag) || {};
    for (const name of Object.keys(counts).sort((a, b) => a.localeCompare(b))) {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = `${name} (${counts[name]})`;
      tagSelect.append(option);
    }
  }

  function setOpen(open) {
    if (toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
    if (open) input.focus();
  }

  /* Pagefind excerpts are HTML with <mark>; keep the text and the marks, nothing else. */
  function excerpt(html) {
    const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
    const out = document.createElement("p");
    out.className = "papers-result__excerpt";
    for (const node of parsed.body.firstChild.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.append(mark);
      } else {
        out.append(document.createTextNode(node.textContent));
      }
    }
    return out;
  }

  function item(data) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const link = document.createElement("a");
    link.className = "md-search-result__link papers-result";
    link.href = data.url;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const title = document.createElement("h2");
    title.className = "papers-result__title";
    title.textContent = data.meta.title || data.url;
    const meta = document.createElement("p");
    meta.className = "papers-result__meta";
    const tags = (data.filters && data.filters.tag) || [];
    meta.textContent = [data.meta.day, ...tags].filter(Boolean).join(" · ");
    article.append(title, meta, excerpt(data.excerpt || ""));
    link.append(article);
    li.append(link);
    return li;
  }

  async function showMore(current) {
    const next = results.slice(shown, shown + PAGE);
    shown += next.length;
    const data = await Promise.all(next.map((r) => r.data()));
    if (current !== generation) return false;
    for (const d of data) list.append(item(d));
    more.hidden = shown >= results.length;
    return true;
  }

  /* data-state on the dialog says where a search is: searching, then done (tests wait on it). */
  async function search() {
    const current = ++generation;
    const term = input.value.trim();
    const tag = tagSelect.value;
    root.dataset.state = "searching";
    if (!term && !tag) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "Type to search every paper";
      root.dataset.state = "idle";
      return;
    }
    status.textContent = "Searching…";
    const loaded = load(); // Pagefind's library loads while the reader types
    const last = term.split(/\s+/).pop();
    await sleep(term && last.length < 3 ? SHORT_WORD_PAUSE : PAUSE);
    if (current !== generation) return; // a newer keystroke took over
    const module = await loaded;
    if (current !== generation) return;
    const options = {};
    if (tag) options.filters = { tag };
    if (sortSelect.value === "day") options.sort = { day: "desc" };
    const found = await module.search(term || null, options);
    if (current !== generation) return;
    results = found.results;
    shown = 0;
    list.replaceChildren();
    if (!(await showMore(current))) return;
    const n = results.length;
    status.textContent = n === 0 ? "No matching papers" : `${n} matching paper${n === 1 ? "" : "s"}`;
    root.dataset.state = "done";
  }

  input.addEventListener("input", search);
  tagSelect.addEventListener("change", search);
  for (const event of ["focus", "pointerenter", "pointerdown"]) {
    tagSelect.addEventListener(event, loadTags);
  }
  sortSelect.addEventListener("change", search);
  more.addEventListener("click", () => showMore(generation));
  input.addEventListener("focus", () => setOpen(true));
  toggle.addEventListener("change", () => {
    if (toggle.checked) input.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) location.href = first.href;
  });
  form.addEventListener("reset", () => {
    setTimeout(search); // after the browser has cleared the field
  });

  /* Material's shortcuts: "/" or "s" opens search, Escape closes it, arrows walk results. */
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing =
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!toggle.checked) {
      if (!typing && (event.key === "/" || event.key === "s" || event.key === "S")) {
        event.preventDefault();
        setOpen(true);
      }
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
      input.blur();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const links = [...list.querySelectorAll("a")];
      if (!links.length) return;
      event.preventDefault();
      const at = links.indexOf(document.activeElement);
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = at === -1 ? (step > 0 ? 0 : links.length - 1) : at + step;
      if (next < 0) input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    }
  });
})();
