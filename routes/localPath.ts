/** Only a path on this site may be a redirect target (no open redirect to another host). */
export function localPathOr(candidate: unknown, fallback: string): string {
  if (typeof candidate !== 'string' || candidate.length > 500) return fallback
  return /^\/(?![/\\])[^\s]*$/.test(candidate) ? candidate : fallback
}
