import { BatchFactory, benchValidators, eventTemplates } from './bench-payloads';

/**
 * The ceiling of this machine for the collector benchmark (run by collector.bench.ts in
 * a process of its own, on the collector's core): JSON.parse of the same request bodies
 * plus the same ajv validators (the collector's ValidatorCache over the same schemas) on
 * every event's data, with no HTTP, no enrichment and no disk. Prints {eventsPerSecond}.
 */
const SECONDS = Number(process.argv[2] ?? 5);
const BODIES = 64;

function main(): void {
  const validators = benchValidators();
  const factory = new BatchFactory(eventTemplates());
  const bodies = Array.from({ length: BODIES }, () => factory.body());
  const run = (until: number) => {
    let events = 0;
    let invalid = 0;
    let index = 0;
    while (performance.now() < until) {
      const body = JSON.parse(bodies[index++ % BODIES] as string) as { events: { event_name: string; event_version: number; data: unknown }[] };
      for (const event of body.events) {
        const validate = validators.get(`${event.event_name}@${event.event_version}`);
        if (!validate || !validate(event.data)) invalid++;
      }
      events += body.events.length;
    }
    if (invalid > 0) throw new Error(`${invalid} of the ceiling's events are invalid: the payloads and the catalog disagree`);
    return events;
  };
  run(performance.now() + 1000);
  const started = performance.now();
  const events = run(started + SECONDS * 1000);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ eventsPerSecond: events / seconds })}\n`);
}

main();
