import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LinkAuth } from '../../hardware/link/session.ts';
import { FrameDecoder } from '../../hardware/protocol/framing.ts';
import {
  createStateSample,
  decodeHello,
  decodeState,
  decodeStatus,
  MessageType,
} from '../../hardware/protocol/messages.ts';
import {
  ConformanceRig,
  conformanceHello,
  conformanceKey,
  conformanceVectors,
} from '../../hardware/tools/conformance.ts';
import { findBinary, temporaryDirectory } from '../../hardware/tools/processes.ts';

const firmware = join(import.meta.dirname, '../../hardware/firmware');
const work = temporaryDirectory('tether-firmware');
afterAll(() => work.remove());

const vectorFile = join(firmware, 'conformance.txt');
const vectors = readFileSync(vectorFile, 'utf8');
const script = vectors
  .split('\n')
  .filter((l) => l.startsWith('> '))
  .map((l) => l.slice(2));
const expected = vectors
  .split('\n')
  .filter((l) => l.startsWith('< '))
  .map((l) => l.slice(2));

/** Decodes one wire frame (hex) with the runtime's frame decoder; returns the message bytes. */
function unframe(frameHex: string): Uint8Array {
  let message: Uint8Array | undefined;
  const decoder = new FrameDecoder((m, length) => {
    message = m.slice(0, length);
  });
  decoder.push(Buffer.from(frameHex, 'hex'));
  if (message === undefined) throw new Error(`frame did not decode: ${JSON.stringify(decoder.counters)}`);
  return message;
}

describe('wire protocol v3 conformance vectors (hardware/firmware/conformance.txt)', () => {
  it('the committed vectors are what the runtime generates (TypeScript in lockstep)', () => {
    expect(conformanceVectors()).toBe(vectors);
    expect(script.length).toBeGreaterThan(35);
  });

  it("the runtime's TypeScript rig prints exactly the expected lines", () => {
    const rig = new ConformanceRig();
    for (const line of script) rig.run(line);
    expect(rig.output).toEqual(expected);
  });

  it('cover every refusal: forged, replayed, foreign session, unauthenticated, NaN, shape, order, busy, stale', () => {
    const out = expected.join('\n');
    for (const pattern of [
      /reject -10 type=9/, // open with another key
      /reject -10 type=3/, // tampered command
      /reject -11 type=3/, // replay
      /reject -12 type=3/, // foreign session
      /session status=3/, // busy: a second would-be owner
      /session status=4/, // stale nonce
      /session status=5/, // unauthenticated open
      /command err -8/, // NaN / infinite / negative gain
      /command err -13/, // unauthenticated command
      /command err -14/, // wrong shape
      /command err -15/, // out of order
      /request err -13/, // activate (or an unsealed status request) from a non-owner
      /request op=6 seq=\d+ auth=1\nstatus /, // status for a key holder who does not own the rig
      /estop source=1 auth=0/, // anyone may stop
    ])
      expect(out).toMatch(pattern);
  });

  it('the rig frames verify and decode on the host side', () => {
    const host = new LinkAuth(conformanceKey, 'host');
    const helloLine = expected.find((l) => l.startsWith('hello '))!;
    const helloBytes = unframe(helloLine.split(' ')[1]!);
    const header = { auth: 0, session: 0 };
    const length = host.verify(helloBytes, helloBytes.length, header);
    expect(header.auth).toBe(1);
    const hello = decodeHello(helloBytes, length);
    expect(hello).toEqual(conformanceHello(new Uint8Array(16).fill(0x11), 0));
    const stateLine = expected.find((l) => l.startsWith('state '))!;
    const stateBytes = unframe(stateLine.split(' ')[1]!);
    const state = createStateSample();
    // Sealed with the session: the device key alone does not verify it.
    expect(host.verify(stateBytes, stateBytes.length, header)).toBeLessThan(0);
    expect(decodeState(new DataView(stateBytes.buffer), stateBytes.length - 28, state)).toBe(
      MessageType.state,
    );
    expect(Array.from(state.values.subarray(0, state.valueCount))).toEqual([0.25, -0.125, 1.5, -2, 3, 0]);
    // A status for a key holder who does not own the rig: sealed with the device key, answering its request.
    const statuses = expected.filter((l) => l.startsWith('status '));
    expect(statuses.length).toBe(2);
    const statusBytes = unframe(statuses[1]!.split(' ')[1]!);
    const statusLength = host.verify(statusBytes, statusBytes.length, header);
    expect(header.auth).toBe(1);
    const request = expected[expected.indexOf(statuses[1]!) - 1]!;
    expect(decodeStatus(statusBytes, statusLength)).toEqual({
      requestSeq: Number(/seq=(\d+)/.exec(request)![1]),
      state: 0,
      owned: true,
      flags: 0,
      ticks: 0,
      latches: 0,
      commandsApplied: 0,
      reason: '',
    });
  });

  describe('the C reference implementation (hardware/firmware)', () => {
    const cc = findBinary('cc') ?? findBinary('gcc');
    const program = join(work.path, 'example_rig');

    it('compiles cleanly as C99 with warnings as errors', () => {
      expect(cc, 'a C compiler (cc or gcc) is required').toBeDefined();
      const result = spawnSync(cc!, [
        '-std=c99',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-pedantic',
        '-O2',
        '-o',
        program,
        join(firmware, 'example_rig.c'),
        join(firmware, 'tether_protocol.c'),
      ]);
      expect(result.stderr.toString()).toBe('');
      expect(result.status).toBe(0);
    });

    it('survives 300k fuzzed inputs under AddressSanitizer and UBSan, accepting exactly the valid commands', () => {
      const fuzzer = join(work.path, 'fuzz_main');
      const sources = ['fuzz/fuzz_main.c', 'fuzz/fuzz_rig.c', 'tether_protocol.c'].map((f) =>
        join(firmware, f),
      );
      const flags = ['-std=c99', '-O1', '-Wall', '-Wextra', '-Werror', '-pedantic', `-I${firmware}`];
      let built = spawnSync(cc!, [...flags, '-fsanitize=address,undefined', '-o', fuzzer, ...sources]);
      // A toolchain without the sanitizer runtimes still runs the oracle.
      if (built.status !== 0) built = spawnSync(cc!, [...flags, '-o', fuzzer, ...sources]);
      expect(built.stderr.toString()).toBe('');
      const run = spawnSync(fuzzer, ['300000', '7'], { env: { ...process.env, TETHER_FUZZ_CONTINUE: '1' } });
      expect(run.stderr.toString()).toBe('');
      const stats = JSON.parse(run.stdout.toString()) as Record<string, number>;
      expect(stats).toMatchObject({ inputs: 300_000, acceptedInvalid: 0, refusedValid: 0, hangs: 0 });
      expect(stats['accepted']).toBeGreaterThan(10_000);
      expect(run.status).toBe(0);
    });

    const clang = findBinary('clang');
    it.skipIf(clang === undefined)('runs as a libFuzzer target (clang): 100k runs, no finding', () => {
      const target = join(work.path, 'fuzz_rig');
      const built = spawnSync(clang!, [
        '-g',
        '-O1',
        '-fsanitize=fuzzer,address,undefined',
        `-I${firmware}`,
        join(firmware, 'fuzz/fuzz_rig.c'),
        join(firmware, 'tether_protocol.c'),
        '-o',
        target,
      ]);
      expect(built.stderr.toString()).toBe('');
      const run = spawnSync(target, ['-runs=100000', '-max_len=600', '-seed=1'], { encoding: 'utf8' });
      expect(run.stderr).toMatch(/Done 100000 runs/);
      expect(run.status).toBe(0);
    });

    it('prints exactly the expected lines: the same verdicts, byte-identical frames', () => {
      const result = spawnSync(program, { input: `${script.join('\n')}\n` });
      expect(result.stderr.toString()).toBe('');
      expect(result.status).toBe(0);
      const lines = result.stdout.toString().trimEnd().split('\n');
      for (let i = 0; i < expected.length; i++) expect(lines[i], `line ${i + 1}`).toBe(expected[i]);
      expect(lines.length).toBe(expected.length);
    });
  });
});
