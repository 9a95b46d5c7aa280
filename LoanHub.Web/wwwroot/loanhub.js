// The console remembers the chosen theme in a cookie, so the server renders the next page in it at once.
// A file, not an inline script: the Content Security Policy runs only the app's own script files.
window.loanhub = { rememberTheme: dark => document.cookie = "loanhub-theme=" + (dark ? "dark" : "light") + "; path=/; max-age=31536000; samesite=strict" };
