// JSON from outside, parsed only when it cannot blow up: JSON.parse turns each "[" into an array object, so a few
// megabytes of brackets become hundreds of megabytes of arrays (and deep nesting then overflows the stack of every
// recursive walker after it). The text is scanned first, in one pass without allocating, for its size and depth.

export class JsonLimitError extends Error {
  override name = 'JsonLimitError';
}

/**
 * Parses `text` after checking it is at most `maxBytes` long (UTF-16 code units, a bound on the bytes' worth of
 * structure) and nests arrays and objects at most `maxDepth` deep. Throws JsonLimitError past either limit and
 * SyntaxError for text that is not JSON.
 */
export function parseBoundedJson(text: string, limits: { maxBytes: number; maxDepth: number }): unknown {
  if (text.length > limits.maxBytes)
    throw new JsonLimitError(`the JSON is ${text.length} characters long, more than the ${limits.maxBytes} accepted`);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limits.maxDepth) throw new JsonLimitError(`the JSON nests deeper than ${limits.maxDepth} levels`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return JSON.parse(text);
}
