import { describe, expect, it } from 'vitest';
import { applyLabelEdit, describeLabelEdit, formatLabels, parseLabelEdit, type LabelEdit } from '../../src/actions/labels.js';
import { list, parseEngine, parseNode, parseService, parseTask } from '../../src/docker/parse/index.js';
import { parseEvent } from '../../src/docker/api/events.js';
import { DockerApiError, toDockerApiError } from '../../src/docker/errors.js';
import { ConnectError } from '../../src/docker/connect/errors.js';
import { printable } from '../../src/text/printable.js';
import { hostileString, HOSTILE_SAMPLES } from '../fixtures/hostile-engine.js';
import { rng } from '../fixtures/rng.js';
import { foreignControls } from '../fixtures/terminal-guard.js';

describe('printable: the one cleaning function', () => {
  it('removes escape sequences whole, payload included', () => {
    expect(printable('x\x1b]0;PWNED\x07y')).toBe('xy');
    expect(printable('a\x1b]52;c;ZWNobyBvd25lZAo=\x07b')).toBe('ab');
    expect(printable('a\x1b]52;c;ZWNo\x1b\\b')).toBe('ab');
    expect(printable('\x1b[2J\x1b[Hcleared')).toBe('cleared');
    expect(printable('dcs\x1bP+q544e\x1b\\end')).toBe('dcsend');
    expect(printable('apc\x1b_payload\x1b\\end')).toBe('apcend');
    expect(printable('c1\x9b6n\x9d0;T\x9cend')).toBe('c1end');
  });

  it('shows every other control as ?, so the operator sees something was there', () => {
    expect(printable('bell\x07')).toBe('bell?');
    expect(printable('lone\x1b')).toBe('lone?');
    expect(printable('del\x7f\x08')).toBe('del??');
    // An ESC revealed by removing a sequence inside it never forms a new one.
    expect(printable('\x1b\x1b]0;t\x07[31mred')).toBe('?[31mred');
  });

  it('shows bidi overrides, isolates, zero-width and tag characters as <U+XXXX>', () => {
    expect(printable('ev\u202elive')).toBe('ev<U+202E>live');
    expect(printable('\u2066iso\u2069')).toBe('<U+2066>iso<U+2069>');
    expect(printable('zero\u200bwidth\ufeff')).toBe('zero<U+200B>width<U+FEFF>');
    expect(printable('tag\u{e0041}')).toBe('tag<U+E0041>');
  });

  it("keeps real text: accents, CJK, emoji, combining marks, and newlines in 'text' mode only", () => {
    expect(printable('café 界 🙂 e\u0301')).toBe('café 界 🙂 e\u0301');
    expect(printable('a\nb')).toBe('a\nb');
    expect(printable('a\nb\r\nc\td', 'line')).toBe('a b c d');
  });

  it('is idempotent, and leaves nothing foreign for any seeded random input', () => {
    const next = rng(22);
    for (let i = 0; i < 3000; i++) {
      const s = i < HOSTILE_SAMPLES.length ? (HOSTILE_SAMPLES[i] as string) : hostileString(next, 64);
      const once = printable(s);
      expect(printable(once)).toBe(once);
      expect(foreignControls(printable(s, 'line'))).toEqual([]);
      expect(foreignControls(once.replace(/\n/g, ''))).toEqual([]);
    }
  });
});

describe('the boundary: every string parsed from the engine is cleaned where it enters', () => {
  const evil = 'x\x1b]0;PWNED\x07y\u202e';
  it('node, service, task, engine and event fields', () => {
    const [node] = list([{ ID: 'n1', Spec: { Labels: { [evil]: evil } }, Description: { Hostname: evil }, Status: { Message: evil, Addr: evil } }], parseNode);
    expect(node?.hostname).toBe('xy<U+202E>');
    expect(node?.labels).toEqual({ 'xy<U+202E>': 'xy<U+202E>' });
    const [svc] = list([{ ID: 's1', Spec: { Name: evil, TaskTemplate: { ContainerSpec: { Image: evil }, Placement: { Constraints: [evil] } } }, UpdateStatus: { State: 'paused', Message: `a\n${evil}` } }], parseService);
    expect(svc?.name).toBe('xy<U+202E>');
    expect(svc?.constraints).toEqual(['xy<U+202E>']);
    expect(svc?.updateStatus?.message).toBe('a xy<U+202E>');
    const [task] = list([{ ID: 't1', ServiceID: 's1', Status: { Err: evil, Message: evil } }], parseTask);
    expect(task?.err).toBe('xy<U+202E>');
    expect(parseEngine({ Name: evil, Swarm: { Error: evil } }, {}).name).toBe('xy<U+202E>');
    expect(parseEvent({ Type: 'node', Actor: { ID: 'n1', Attributes: { name: evil } } })?.name).toBe('xy<U+202E>');
  });

  it('engine and connection error messages', () => {
    expect(toDockerApiError({ statusCode: 500, json: { message: evil } }).message).toBe('xy<U+202E>');
    expect(toDockerApiError(new Error(evil)).message).toBe('xy<U+202E>');
    expect(new DockerApiError(`a\n${evil}`, null, null).message).toBe('a\nxy<U+202E>');
    expect(new ConnectError('ssh://h', 'unreachable', evil).message).toBe('ssh://h: xy<U+202E>');
  });
});

describe('a label edit typed over cleaned text never writes the cleaned text back', () => {
  const raw = { evil: 'x\x1b]0;PWNED\x07y', 'k\u202e': 'v', list: 'a,b', plain: 'p' };
  const shown = { evil: 'xy', 'k<U+202E>': 'v', list: 'a,b', plain: 'p' };
  const edit = (line: string): LabelEdit => {
    const e = parseLabelEdit(line);
    if (typeof e === 'string') throw new Error(e);
    return e;
  };

  it('the prompt as it started changes nothing, not even a value the line cannot hold (a comma)', () => {
    const line = formatLabels(shown);
    expect(applyLabelEdit(raw, edit(line))).toEqual(raw);
    expect(describeLabelEdit(shown, edit(line))).toEqual([]);
  });

  it('changes only what was typed, under the raw key it was shown for', () => {
    const line = `${formatLabels(shown).replace('plain=p', 'plain=q').replace('k<U+202E>=v', 'k<U+202E>=w')},new=1`;
    expect(applyLabelEdit(raw, edit(line))).toEqual({ ...raw, plain: 'q', 'k\u202e': 'w', new: '1' });
    expect(describeLabelEdit(shown, edit(line))).toEqual(['~ k<U+202E>: v → w', '~ plain: p → q', '+ new=1']);
  });

  it('removes a label by the key it was shown as', () => {
    expect(applyLabelEdit(raw, edit('-k<U+202E>,-evil'))).toEqual({ list: 'a,b', plain: 'p' });
  });
});
