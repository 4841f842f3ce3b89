// Random ids, on every page: crypto.randomUUID exists only on secure ones.

/** A random UUID (v4): `crypto.randomUUID` where there is one (secure pages), else from `getRandomValues`. */
export function randomId(): string {
  const crypto = globalThis.crypto
  return (
    crypto.randomUUID?.() ??
    '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) =>
      (+digit ^ ((crypto.getRandomValues(new Uint8Array(1))[0] as number) & (15 >> (+digit / 4)))).toString(16),
    )
  )
}
