/**
 * Compiles an AMQP topic pattern (`orders.order.*`, `orders.#`, `#`) into a matcher of
 * dot-separated routing keys, with the same semantics as a RabbitMQ topic exchange.
 */
export function compileTopicPattern(pattern: string): (routingKey: string) => boolean {
  const words = pattern.split('.');
  return (routingKey) => matchWords(words, 0, routingKey.split('.'), 0);
}

function matchWords(pattern: readonly string[], p: number, key: readonly string[], k: number): boolean {
  if (p === pattern.length) return k === key.length;
  const word = pattern[p];
  if (word === '#') {
    // `#` swallows zero or more words.
    for (let skip = k; skip <= key.length; skip++) {
      if (matchWords(pattern, p + 1, key, skip)) return true;
    }
    return false;
  }
  if (k === key.length) return false;
  return (word === '*' || word === key[k]) && matchWords(pattern, p + 1, key, k + 1);
}
