// A small, strict XML reader for X3P's main.xml and the Open-FMC extension. X3P files are data, not
// documents: we reject DOCTYPE (entity expansion is the classic XML bomb) and keep only what X3P needs:
// elements, attributes, text, CDATA; comments and processing instructions are skipped.
import { X3PError } from './errors.ts';

export interface XmlElement {
  /** Local name without namespace prefix (e.g. "ISO5436_2" for "p:ISO5436_2"). */
  name: string;
  /** The name as written, with its prefix when it has one. */
  qualifiedName?: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element, entities decoded. */
  text: string;
}

const namedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML 1.0's Char production: tab, newline, carriage return, and the code points above U+001F except surrogates and U+FFFE/F. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function decodeEntities(raw: string, at: number, fileName: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{1,10});/g, (_m, entity: string) => {
    if (entity.startsWith('#')) {
      const hex = entity[1] === 'x' || entity[1] === 'X';
      const digits = entity.slice(hex ? 2 : 1);
      const code = (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits) ? parseInt(digits, hex ? 16 : 10) : NaN;
      if (!isXmlChar(code))
        throw new X3PError(
          'bad-xml',
          `${fileName}: character reference &${entity}; is not a valid XML character (near offset ${at})`,
        );
      return String.fromCodePoint(code);
    }
    const value = namedEntities[entity];
    if (value === undefined) throw new X3PError('bad-xml', `${fileName}: unknown entity &${entity}; near offset ${at}`);
    return value;
  });
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

const nameChar = /[^\s/>=]/;

export interface XmlLimits {
  /** Deepest element nesting accepted (X3P needs 6 levels; vendor extensions a few more). */
  maxDepth: number;
  /** Most elements in one document (each costs a few hundred bytes of memory). */
  maxElements: number;
}

export const defaultXmlLimits: XmlLimits = { maxDepth: 64, maxElements: 100_000 };

/**
 * Parses a whole document and returns its root element. Throws X3PError('bad-xml') with an offset. Iterative
 * (no recursion), and bounded in depth and element count, so hostile nesting or a flood of elements is refused
 * with a clear message instead of exhausting the stack or the memory.
 */
export function parseXml(source: string, fileName = 'main.xml', limits: Partial<XmlLimits> = {}): XmlElement {
  const { maxDepth, maxElements } = { ...defaultXmlLimits, ...limits };
  let elements = 0;
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (message: string): never => {
    throw new X3PError('bad-xml', `${fileName}: ${message} (offset ${pos})`);
  };

  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt < 0 ? source.length : lt;
    if (textEnd > pos) {
      const text = source.slice(pos, textEnd);
      if (stack.length > 0) stack[stack.length - 1].text += decodeEntities(text, pos, fileName);
      else if (text.trim() !== '') fail('text outside the root element');
    }
    if (lt < 0) break;
    pos = lt;
    if (source.startsWith('<!--', pos)) {
      const end = source.indexOf('-->', pos + 4);
      if (end < 0) fail('unterminated comment');
      pos = end + 3;
    } else if (source.startsWith('<?', pos)) {
      const end = source.indexOf('?>', pos + 2);
      if (end < 0) fail('unterminated processing instruction');
      pos = end + 2;
    } else if (source.startsWith('<![CDATA[', pos)) {
      const end = source.indexOf(']]>', pos + 9);
      if (end < 0) fail('unterminated CDATA section');
      if (stack.length === 0) fail('CDATA outside the root element');
      stack[stack.length - 1].text += source.slice(pos + 9, end);
      pos = end + 3;
    } else if (source.startsWith('<!', pos)) {
      fail('DOCTYPE and DTD declarations are not allowed in X3P');
    } else if (source.startsWith('</', pos)) {
      const end = source.indexOf('>', pos);
      if (end < 0) fail('unterminated end tag');
      const qname = source.slice(pos + 2, end).trim();
      const open = stack.pop();
      if (!open) fail(`unexpected end tag </${qname}>`);
      if (open!.name !== localName(qname)) fail(`end tag </${qname}> does not match <${open!.name}>`);
      pos = end + 1;
      if (stack.length === 0) root = open;
    } else {
      pos++;
      const nameStart = pos;
      while (pos < source.length && nameChar.test(source[pos])) pos++;
      const qname = source.slice(nameStart, pos);
      if (qname === '') fail('empty element name');
      if (++elements > maxElements) fail(`more than ${maxElements} elements`);
      if (stack.length >= maxDepth) fail(`elements nested deeper than ${maxDepth} levels`);
      const name = localName(qname);
      const element: XmlElement = { name, attributes: {}, children: [], text: '' };
      if (name !== qname) element.qualifiedName = qname;
      for (;;) {
        while (pos < source.length && /\s/.test(source[pos])) pos++;
        if (pos >= source.length) fail(`unterminated start tag <${qname}>`);
        if (source[pos] === '>' || source.startsWith('/>', pos)) break;
        const attrStart = pos;
        while (pos < source.length && nameChar.test(source[pos])) pos++;
        const attrName = source.slice(attrStart, pos);
        while (/\s/.test(source[pos] ?? '')) pos++;
        if (source[pos] !== '=') fail(`attribute ${attrName} without a value`);
        pos++;
        while (/\s/.test(source[pos] ?? '')) pos++;
        const quote = source[pos];
        if (quote !== '"' && quote !== "'") fail(`attribute ${attrName} value is not quoted`);
        const valueEnd = source.indexOf(quote, pos + 1);
        if (valueEnd < 0) fail(`unterminated attribute ${attrName}`);
        element.attributes[attrName] = decodeEntities(source.slice(pos + 1, valueEnd), pos, fileName);
        pos = valueEnd + 1;
      }
      if (root) fail('more than one root element');
      if (stack.length > 0) stack[stack.length - 1].children.push(element);
      if (source[pos] === '>') {
        stack.push(element);
        pos++;
      } else {
        pos += 2;
        if (stack.length === 0) root = element;
      }
    }
  }
  if (stack.length > 0) fail(`element <${stack[stack.length - 1].name}> is not closed`);
  if (!root) fail('no root element');
  return root!;
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** Follows a path of child names; returns undefined as soon as one is missing. */
export function path(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let current = element;
  for (const name of names) current = child(current, name);
  return current;
}

/** Trimmed text of the element at path, or undefined when absent or empty. */
export function textAt(element: XmlElement | undefined, ...names: string[]): string | undefined {
  const text = path(element, ...names)?.text.trim();
  return text === '' ? undefined : text;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A tiny element builder for the writer: children are either elements or a text value. */
export type XmlNode = { name: string; attributes?: Record<string, string>; children?: XmlNode[]; text?: string };

export function serializeXml(node: XmlNode, indent = ''): string {
  const attrs = Object.entries(node.attributes ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  if (node.children && node.children.length > 0) {
    const inner = node.children.map((c) => serializeXml(c, `${indent}  `)).join('');
    return `${indent}<${node.name}${attrs}>\n${inner}${indent}</${node.name}>\n`;
  }
  if (node.text === undefined || node.text === '') return `${indent}<${node.name}${attrs}/>\n`;
  return `${indent}<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>\n`;
}
