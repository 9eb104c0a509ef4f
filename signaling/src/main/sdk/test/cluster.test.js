// Moving to another node when this one drains (`move`), and joining the room again
// through another node when this one is lost (docs/client.md "Cluster").

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { AtriumClient } from '../src/atrium-client.js';
import { nodeWebSocketUrl } from '../src/session.js';
import { FakeServer, fakePeerConnections, sdpWithMids, sleep } from './fakes.js';

const BOB = { id: 'pbob', name: 'Bob' };

/**
 * @param {string} id
 * @param {Array<Record<string, unknown>>} participants
 * @param {Array<{ id: string, url: string }>} [nodes]
 */
function joinedMessage(id, participants, nodes) {
  return { type: 'joined', room: 'demo', participantId: id, name: 'Alice', resumeToken: `token-of-${id}`,
    participants, iceServers: [], ...(nodes ? { nodes } : {}) };
}

/** @param {number} version @param {Array<{ mid: string, kind: string, participantId: string }>} subscribe */
function offerMessage(version, subscribe) {
  return { type: 'offer', version, sdp: sdpWithMids(['0', '1', '2', ...subscribe.map((s) => s.mid)]),
    publish: [{ mid: '0', kind: 'audio' }, { mid: '1', kind: 'video' }], subscribe };
}

/** The http URL `joined.nodes` gives for a fake server's ws URL. @param {string} wsUrl */
const httpOf = (wsUrl) => wsUrl.replace(/^ws:/, 'http:').replace(/\/ws$/, '');

/** @param {() => boolean} condition */
async function until(condition, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** @param {AtriumClient} client */
function recordEvents(client) {
  /** @type {Array<[string, any]>} */
  const events = [];
  for (const name of /** @type {const} */ (['connection-state', 'joined', 'participant-joined', 'participant-left',
    'track-added', 'track-removed', 'video-paused', 'moved', 'error'])) {
    client.on(name, (payload) => events.push([name, payload]));
  }
  return events;
}

/** @param {any} pc */
function connect(pc) {
  pc.connectionState = 'connected';
  pc.dispatchEvent(new Event('connectionstatechange'));
}

describe('cluster', () => {
  /** @type {FakeServer} */ let node1;
  /** @type {FakeServer} */ let node2;
  /** @type {ReturnType<typeof fakePeerConnections>} */ let pcs;
  /** @type {AtriumClient} */ let client;
  const camera = /** @type {any} */ ({ kind: 'video', id: 'camera' });
  const microphone = /** @type {any} */ ({ kind: 'audio', id: 'microphone' });

  beforeEach(async () => {
    node1 = await FakeServer.start();
    node2 = await FakeServer.start();
    pcs = fakePeerConnections();
    client = new AtriumClient({
      room: 'demo', name: 'Alice', token: 'jwt', url: node1.url,
      WebSocket: /** @type {any} */ (WebSocket), RTCPeerConnection: /** @type {any} */ (pcs.PeerConnection),
      reconnect: { minDelayMs: 10, maxDelayMs: 40, resumeGraceMs: 5000, connectTimeoutMs: 500 }, renderSizeDebounceMs: 20,
    });
  });

  afterEach(async () => {
    client.leave();
    await node1.close();
    await node2.close();
  });

  /** Alice on node1 as p1, sending camera and microphone, receiving Bob's video on mid 3. */
  async function aliceOnNode1() {
    await client.publish(camera);
    await client.publish(microphone);
    await client.setMuted('microphone', true);
    const joining = client.join();
    const { connection } = await node1.accept('join');
    connection.send(joinedMessage('p1', [BOB], [{ id: 'node1', url: httpOf(node1.url) },
      { id: 'node2', url: httpOf(node2.url) }]));
    await joining;
    connection.send(offerMessage(1, [{ mid: '3', kind: 'video', participantId: BOB.id }]));
    await connection.next('mute');
    await connection.next('answer');
    pcs.created[0].fireTrack('3', 'video', BOB.id);
    connect(pcs.created[0]);
    return connection;
  }

  it('maps joined.nodes URLs to their WebSocket URLs', () => {
    assert.equal(nodeWebSocketUrl('http://10.0.0.2:8080'), 'ws://10.0.0.2:8080/ws');
    assert.equal(nodeWebSocketUrl('https://sfu2.example.org/atrium/'), 'wss://sfu2.example.org/atrium/ws');
    assert.equal(nodeWebSocketUrl('ftp://x'), null);
    assert.equal(nodeWebSocketUrl(undefined), null);
  });

  it('moves make-before-break: joins the other node with the same tracks, shows its tracks, then leaves', async () => {
    const events = recordEvents(client);
    const old = await aliceOnNode1();
    assert.equal(client.nodeId, 'node1');
    old.send({ type: 'move', url: node2.url, node: 'node2', room: 'demo', reason: 'drain' });

    const { connection: there, first } = await node2.accept('join');
    assert.deepEqual(first, { type: 'join', room: 'demo', name: 'Alice', token: 'jwt', noRedirect: true });
    assert.equal(client.moving, true);
    // node2 sees Alice's old self (p1) and Bob; the old session sees the new self (p2).
    there.send(joinedMessage('p2', [BOB, { id: 'p1', name: 'Alice' }], [{ id: 'node2', url: httpOf(node2.url) },
      { id: 'node1', url: httpOf(node1.url) }]));
    assert.deepEqual(await there.next('mute'), { type: 'mute', source: 'microphone', muted: true });
    old.send({ type: 'participant-joined', participant: { id: 'p2', name: 'Alice' } });
    there.send(offerMessage(1, [{ mid: '3', kind: 'video', participantId: BOB.id },
      { mid: '4', kind: 'video', participantId: 'p1' }]));
    assert.equal((await there.next('answer')).sdp, 'answer 0:sendonly 1:sendonly 2:recvonly 3:recvonly 4:recvonly');
    const newPc = pcs.created[1];
    assert.equal(newPc.transceivers[1].sender.track, camera, 'the same camera track');
    assert.equal(newPc.transceivers[0].sender.track, null, 'the microphone stays muted');
    assert.equal(client.state, 'connected');
    assert.equal(client.participantId, 'p1', 'still the old session until the new one carries the room');

    // Bob's track arrives on the new session: shown at once; the old self's is not.
    newPc.fireTrack('4', 'video', 'p1');
    newPc.fireTrack('3', 'video', BOB.id);
    const added = events.filter(([name, t]) => name === 'track-added' && t.participantId === BOB.id);
    assert.equal(added.length, 2, 'Bob from the old session, then from the new one');
    assert.equal(added[1][1].track.id, 'video-3');
    assert.equal(old.socket.readyState, WebSocket.OPEN, 'not left before the new peer connection connects');

    connect(newPc);
    await old.next('leave');
    await until(() => client.participantId === 'p2');
    assert.equal(client.peerConnection, newPc);
    assert.equal(pcs.created[0].connectionState, 'closed');
    assert.equal(client.moving, false);
    assert.equal(client.nodeId, 'node2');
    assert.equal(client.url, node2.url);
    const moved = events.find(([name]) => name === 'moved');
    assert.deepEqual(moved?.[1], { participantId: 'p2', previousParticipantId: 'p1', node: 'node2', url: node2.url,
      reason: 'drain' });
    // Bob stayed; neither of Alice's selves was ever shown as someone else; Bob's old tile was replaced, not removed.
    assert.deepEqual([...client.participants.keys()], [BOB.id]);
    const names = events.map(([name, p]) => `${name} ${p.participantId ?? p.id ?? p.state ?? ''}`);
    assert.ok(!names.some((n) => /^(participant|track)-.* p[12]$/.test(n)), names.join(', '));
    assert.ok(!names.includes(`participant-left ${BOB.id}`));
    assert.ok(!names.includes(`track-removed ${BOB.id}`));
    assert.ok(!names.some((n) => n.startsWith('connection-state') && !n.endsWith('connected') && !n.endsWith('connecting')));

    // The adopted session is the client's now: messages, mute and resume go there.
    there.send({ type: 'participant-left', participantId: BOB.id, reason: 'left' });
    await until(() => client.participants.size === 0);
    await client.setMuted('microphone', false);
    assert.deepEqual(await there.next('mute'), { type: 'mute', source: 'microphone', muted: false });
    there.drop();
    const { first: resume } = await node2.accept('resume');
    assert.equal(resume.token, 'token-of-p2');
  });

  it('switches when the new session is connected and no one else publishes', async () => {
    const events = recordEvents(client);
    const old = await aliceOnNode1();
    old.send({ type: 'move', url: node2.url, node: 'node2', room: 'demo', reason: 'drain' });
    const { connection: there } = await node2.accept('join');
    there.send(joinedMessage('p2', [{ id: 'p1', name: 'Alice' }]));
    connect(pcs.created[1]);
    await old.next('leave');
    await until(() => client.participantId === 'p2');
    // Bob is not on node2: he left as far as the page is concerned, his track with him.
    assert.ok(events.some(([name, p]) => name === 'participant-left' && p.participantId === BOB.id));
    assert.ok(events.some(([name, p]) => name === 'track-removed' && p.participantId === BOB.id));
  });

  it('switches at once when the old node ends the session while the new one is joined', async () => {
    const events = recordEvents(client);
    const old = await aliceOnNode1();
    old.send({ type: 'move', url: node2.url, node: 'node2', room: 'demo', reason: 'drain' });
    const { connection: there } = await node2.accept('join');
    there.send(joinedMessage('p2', [BOB]));
    await until(() => client.moving && pcs.created.length === 2);
    await sleep(20);
    old.send({ type: 'error', code: 'shutdown', message: 'The server is shutting down' });
    old.socket.close(1000, 'shutdown');
    await until(() => client.participantId === 'p2');
    assert.equal(client.state, 'connected');
    assert.ok(!events.some(([name, e]) => name === 'connection-state' && e.state === 'reconnecting'));
    assert.ok(!events.some(([name]) => name === 'error'), 'the old node\'s shutdown is not the page\'s concern');
    await sleep(100);
    assert.equal(node1.wss.clients.size, 0, 'no rejoin on the old node');
  });

  it('gives up a move whose node refuses the join, and stays', async () => {
    const old = await aliceOnNode1();
    old.send({ type: 'move', url: node2.url, node: 'node2', room: 'demo', reason: 'drain' });
    const { connection: there } = await node2.accept('join');
    there.send({ type: 'error', code: 'forbidden', message: 'no' });
    await until(() => !client.moving);
    assert.equal(client.participantId, 'p1');
    assert.equal(client.peerConnection, pcs.created[0]);
    assert.equal(client.state, 'connected');
  });

  it('ignores a move to a bad URL', async () => {
    const old = await aliceOnNode1();
    old.send({ type: 'move', url: 'http://elsewhere/ws', node: 'x', room: 'demo' });
    old.send({ type: 'active-speaker', participantId: BOB.id });
    await sleep(50);
    assert.equal(client.moving, false);
  });

  it('rejoins through the next node of joined.nodes when its node is lost, republishing its tracks', async () => {
    const events = recordEvents(client);
    const old = await aliceOnNode1();
    const started = Date.now();
    // The node dies: its connections drop and nothing listens any more.
    old.drop();
    await node1.close();
    const { connection: there, first } = await node2.accept('join');
    assert.deepEqual(first, { type: 'join', room: 'demo', name: 'Alice', token: 'jwt', noRedirect: true });
    there.send(joinedMessage('p3', [BOB], [{ id: 'node2', url: httpOf(node2.url) }]));
    await there.next('mute');
    there.send(offerMessage(1, [{ mid: '3', kind: 'video', participantId: BOB.id }]));
    await there.next('answer');
    assert.equal(pcs.created[1].transceivers[1].sender.track, camera);
    assert.ok(Date.now() - started < 2000, `rejoined after ${Date.now() - started} ms`);
    assert.equal(client.participantId, 'p3');
    assert.equal(client.url, node2.url);
    assert.ok(events.some(([name, e]) => name === 'connection-state' && e.state === 'reconnecting'));
  });

  it('does not show its own old participant, which the next node still lists after a node loss', async () => {
    const events = recordEvents(client);
    const old = await aliceOnNode1();
    old.drop();
    await node1.close();
    const { connection: there } = await node2.accept('join');
    // node2 has not declared node1 dead yet: Alice's old participant p1 is still in its room.
    there.send(joinedMessage('p3', [BOB, { id: 'p1', name: 'Alice' }], [{ id: 'node2', url: httpOf(node2.url) }]));
    await there.next('mute');
    there.send(offerMessage(1, [{ mid: '3', kind: 'video', participantId: BOB.id },
      { mid: '4', kind: 'video', participantId: 'p1' }]));
    await there.next('answer');
    pcs.created[1].fireTrack('3', 'video', BOB.id);
    pcs.created[1].fireTrack('4', 'video', 'p1');
    there.send({ type: 'video-paused', participantId: 'p1', mid: '4', reason: 'unavailable' });
    there.send({ type: 'participant-left', participantId: 'p1', reason: 'node-lost' });
    there.send({ type: 'participant-joined', participant: { id: 'pcarol', name: 'Carol' } });
    await until(() => events.some(([name, e]) => name === 'participant-joined' && e.id === 'pcarol'));

    const rejoined = events.findIndex(([name, e]) => name === 'joined' && e.participantId === 'p3');
    assert.ok(rejoined >= 0);
    assert.deepEqual(events[rejoined][1].participants.map((/** @type {any} */ p) => p.id), [BOB.id]);
    const aboutP1 = events.slice(rejoined).filter(([name, e]) => (e.id ?? e.participantId) === 'p1'
      && ['participant-joined', 'participant-left', 'track-added', 'track-removed', 'video-paused'].includes(name));
    assert.deepEqual(aboutP1, []);
    assert.ok(events.slice(rejoined).some(([name, e]) => name === 'track-added' && e.participantId === BOB.id));
    assert.deepEqual([...client.participants.keys()].sort(), [BOB.id, 'pcarol']);
  });

  it('gives up a connection that does not open within the bound, then tries the next node', async () => {
    const net = await import('node:net');
    // A node that accepts TCP but never answers the WebSocket handshake.
    const silent = net.createServer(() => {});
    await new Promise((resolve) => silent.listen(0, '127.0.0.1', () => resolve(undefined)));
    const port = /** @type {import('node:net').AddressInfo} */ (silent.address()).port;
    try {
      const joining = client.join();
      const { connection } = await node1.accept('join');
      connection.send(joinedMessage('p1', [], [{ id: 'node1', url: httpOf(node1.url) },
        { id: 'silent', url: `http://127.0.0.1:${port}` }, { id: 'node2', url: httpOf(node2.url) }]));
      await joining;
      connection.drop();
      await node1.close();
      const { first } = await node2.accept('join');
      assert.equal(first.noRedirect, true);
    } finally {
      silent.close();
    }
  });
});
