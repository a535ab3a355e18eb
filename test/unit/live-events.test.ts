import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../src/docker/api/events.js';

const raw = '{"Type":"service","Action":"update","Actor":{"ID":"k8a9knkbvgn6iohf04bwtmu9j","Attributes":{"name":"web","updatestate.new":"updating"}},"scope":"swarm","time":1795430272,"timeNano":1795430272048139888}';

describe('event parsing', () => {
  it('parses a service update event and keeps the exact nanosecond resume point', () => {
    const e = parseEvent(JSON.parse(raw) as unknown, '1795430272048139888');
    expect(e).toEqual({
      kind: 'service', action: 'update', id: 'k8a9knkbvgn6iohf04bwtmu9j', name: 'web',
      attributes: { name: 'web', 'updatestate.new': 'updating' }, since: '1795430272.048139888', at: 1795430272048,
    });
  });

  it('drops events of other types, without an actor id, or malformed', () => {
    expect(parseEvent({ Type: 'container', Action: 'start', Actor: { ID: 'x' } })).toBeNull();
    expect(parseEvent({ Type: 'node', Action: 'update', Actor: {} })).toBeNull();
    expect(parseEvent('nope')).toBeNull();
    expect(parseEvent({ Type: 'node', Actor: { ID: 'n', Attributes: 5 }, time: 'x' })).toMatchObject({ kind: 'node', action: '', since: '', attributes: {} });
  });
});
