/**
 * Splits a `command:`/`entrypoint:` string into words as the docker CLI does (google/shlex rules):
 * whitespace separates words, single quotes keep everything, double quotes keep everything but a
 * backslash before \ " $ ` or newline, a backslash outside quotes escapes the next character, and a
 * # at the start of a word comments out the rest of the line.
 */
export function shellSplit(text: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let i = 0;
  const push = (): void => {
    if (word !== null) words.push(word);
    word = null;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      push();
      i++;
    } else if (c === '#' && word === null) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error('EOF found when expecting closing quote');
      word = (word ?? '') + text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let out = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('EOF found when expecting closing quote');
        const d = text[i] as string;
        if (d === '"') break;
        if (d === '\\' && i + 1 < text.length && '\\"$`\n'.includes(text[i + 1] as string)) {
          out += text[i + 1] as string;
          i += 2;
        } else {
          out += d;
          i++;
        }
      }
      word = (word ?? '') + out;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new Error('EOF found after escape character');
      word = (word ?? '') + (text[i + 1] as string);
      i += 2;
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  push();
  return words;
}
