// The little XML the Query protocol answers with: elements, lists of <member>, escaping.

export type XmlContent = string | number | boolean | undefined | null | XmlFragment;

/** Already-serialized XML, not escaped again. */
export class XmlFragment {
  constructor(readonly xml: string) {}
}

export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => XML_ENTITIES[c]!);
}

const XML_ENTITIES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  "'": '&apos;',
  '"': '&quot;',
};

/** <name>content</name>; undefined/null content omits the element. */
export function el(name: string, content: XmlContent): string {
  if (content === undefined || content === null) return '';
  const inner = content instanceof XmlFragment ? content.xml : xmlEscape(String(content));
  return `<${name}>${inner}</${name}>`;
}

/** Several elements in a row, as one fragment. */
export function fragment(...parts: string[]): XmlFragment {
  return new XmlFragment(parts.join(''));
}

/** <name><member>...</member>...</name>, as AWS Query lists are wrapped. */
export function members<T>(
  name: string,
  items: readonly T[],
  render: (item: T) => XmlContent,
): string {
  const inner = items.map((item) => el('member', render(item))).join('');
  return `<${name}>${inner}</${name}>`;
}

/** ISO 8601 with milliseconds, as Query responses carry timestamps. */
export function xmlTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
