/**
 * Health of a robot's link (a serial line, an MQTT broker) as the runtime sees it: counts since the
 * link was configured, and the command round trip. Link robots (hardware/link) report it; the status
 * line, the run summary, `tether log info` and the log's `/tether/link` channel show it.
 */
export interface LinkHealth {
  /**
   * Monotonic counts by stable name: frames refused for each reason (crc, decode, shape, non-finite,
   * sequence, forged, replayed, foreign session, unauthenticated), states lost and duplicated,
   * intrusions (commands the rig applied that this runtime never sent), what the rig reported
   * refusing, sessions opened, implausible readings.
   */
  readonly counters: Readonly<Record<string, number>>;
  /** Command sent → first state echoing it, milliseconds; undefined before the first echo. */
  readonly roundTripMs?: RoundTrip;
  /** The session that owns the rig (hex), when there is one. */
  readonly session?: string;
}

export interface RoundTrip {
  readonly last: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly samples: number;
}

/** Counters the one-line summaries show, in this order, when present. */
export const linkSummaryCounters = [
  'crcErrors',
  'decodeErrors',
  'shapeErrors',
  'nonFinite',
  'sequenceErrors',
  'statesLost',
  'duplicates',
  'forged',
  'replayed',
  'foreignSession',
  'unauthenticated',
  'intrusions',
  'implausible',
] as const;

/** `crc 0, decode 0, ... rtt p50 1.2 ms`: one line for a status display or a summary. */
export function formatLinkHealth(health: LinkHealth, short = false): string {
  const labels: Record<string, string> = {
    crcErrors: 'crc',
    decodeErrors: 'decode',
    shapeErrors: 'shape',
    nonFinite: 'non-finite',
    sequenceErrors: 'sequence',
    statesLost: 'lost',
    duplicates: 'dup',
    forged: 'forged',
    replayed: 'replayed',
    foreignSession: 'foreign',
    unauthenticated: 'unauth',
    intrusions: 'intrusions',
    implausible: 'implausible',
  };
  const parts: string[] = [];
  for (const key of linkSummaryCounters) {
    const value = health.counters[key];
    if (value === undefined) continue;
    if (short && value === 0 && key !== 'intrusions') continue;
    parts.push(`${labels[key]} ${value}`);
  }
  const rtt = health.roundTripMs;
  if (rtt !== undefined)
    parts.push(
      short
        ? `rtt ${rtt.last.toFixed(1)} ms`
        : `rtt p50 ${rtt.p50.toFixed(2)} p99 ${rtt.p99.toFixed(2)} max ${rtt.max.toFixed(2)} ms`,
    );
  return parts.join(short ? ' ' : ', ');
}
