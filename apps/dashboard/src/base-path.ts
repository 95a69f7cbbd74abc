/**
 * The path prefix the server serves the dashboard and its APIs under (TESSERA_BASE_PATH), from the
 * `<meta name="tessera-base-path">` tag the server adds to index.html; `''` when there is none.
 * @example fetch(`${basePath}/admin/api/session`)
 */
export const basePath: string =
  (typeof document === 'undefined'
    ? undefined
    : document.querySelector<HTMLMetaElement>('meta[name="tessera-base-path"]')?.content) ?? '';
