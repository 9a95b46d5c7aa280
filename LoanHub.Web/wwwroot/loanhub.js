// The console remembers the chosen theme in a cookie, so the server renders the next page in it at once.
// A file, not an inline script: the Content Security Policy runs only the app's own script files.
window.loanhub = { rememberTheme: dark => document.cookie = "loanhub-theme=" + (dark ? "dark" : "light") + "; path=/; max-age=31536000; samesite=strict" };

// A table wider than its card scrolls sideways inside it; the hint of its scroll area shows only while columns are out of
// sight (data-overflows), however wide the window: Blazor re-renders add areas, so new ones are watched as they appear.
(() => {
    const mark = area => {
        const container = area?.querySelector(".mud-table-container");
        if (!container) return;
        area.toggleAttribute("data-overflows", container.scrollWidth > container.clientWidth + 1);
    };
    const sizes = new ResizeObserver(entries => entries.forEach(e => mark(e.target.closest(".scroll-area"))));
    const watch = () => document.querySelectorAll(".scroll-area").forEach(area => {
        const table = area.querySelector(".mud-table-container > table");
        if (!table || table.dataset.watched) return;
        table.dataset.watched = "";
        sizes.observe(table);
        sizes.observe(area);
        mark(area);
    });
    new MutationObserver(watch).observe(document.documentElement, { childList: true, subtree: true });
    watch();
})();

// Keyboard shortcuts of a page: single letters (no Ctrl, Alt or Meta), ignored while typing in a field or with a dialog
// open. The page lists the keys it handles and is called with the one pressed.
window.loanhub.shortcuts = (page, keys) => {
    const handler = e => {
        if (e.ctrlKey || e.altKey || e.metaKey || e.repeat) return;
        const target = e.target;
        if (target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
        if (document.querySelector(".mud-dialog-container")) return;
        const key = e.key.toLowerCase();
        if (!keys.includes(key)) return;
        e.preventDefault();
        page.invokeMethodAsync("OnShortcut", key);
    };
    document.addEventListener("keydown", handler);
    return { dispose: () => document.removeEventListener("keydown", handler) };
};
