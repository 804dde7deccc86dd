/** Every string a card renders as markdown: TextBlock text, FactSet titles and values. */
export function markdownSinks(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown, fact = false): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, fact));
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'TextBlock' && typeof n.text === 'string') found.push(n.text);
    if (fact) for (const key of ['title', 'value']) if (typeof n[key] === 'string') found.push(n[key]);
    for (const [key, value] of Object.entries(n)) walk(value, n.type === 'FactSet' && key === 'facts');
  };
  walk(card);
  return found;
}
