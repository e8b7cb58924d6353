// Source rows are shown as they were read, except for columns whose name says they hold a secret
// (passwords, tokens, keys, card numbers).

/** Words of a column name that mark its values as secret. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'pin',
  'cvv',
  'cvc',
  'salt',
  'pan',
  'cardnumber',
]);
/** Words that, after `card`, name a card number: `CARD_NO`, `cardNumber`. */
const CARD_NUMBER_WORDS = new Set(['no', 'nr', 'num', 'number']);

/** `WEB_PASSWORD`, `apiKey`, `user-pwd` → the lower-case words of the name. */
function words(column: string): string[] {
  return column
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Whether a column's name says it holds a secret (whole words only: `SHIPPING` is not `PIN`). */
export function isSecretColumn(column: string): boolean {
  const parts = words(column);
  if (parts.some((word) => SECRET_WORDS.has(word) || word.endsWith('password'))) return true;
  return parts.some(
    (word, i) =>
      // `API_KEY`, `apiKey`, `private_key`.
      (word === 'key' && (parts[i - 1] === 'api' || parts[i - 1] === 'private')) ||
      // `CARD_NO`, `cardNumber`.
      (CARD_NUMBER_WORDS.has(word) && parts[i - 1] === 'card'),
  );
}

/** The row with the values of secret columns replaced by `***` (missing values stay null). */
export function maskSecretValues<V>(row: Readonly<Record<string, V>>): Record<string, V | '***'> {
  const out: Record<string, V | '***'> = {};
  for (const [column, value] of Object.entries(row)) {
    out[column] = value !== null && isSecretColumn(column) ? '***' : value;
  }
  return out;
}
