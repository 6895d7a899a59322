/**
 * A safety net under masking: every secret that redis-ops reads (passwords, tokens) is
 * registered here, and every line we print goes through redact(). Masking URLs is the first
 * line of defence; this catches the error message or library output that echoes a secret.
 */
const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  // Very short values would redact ordinary words; they are still masked in URLs.
  if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join('***');
  }
  return out;
}

/** Mask the password in something that looks like a URL, even when it does not parse. */
export function maskUrlText(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)\S*@/gi, '$1***@');
}
