// `npm run demo`: the real bot answering in a local web page that stands in for a Slack channel, against a simulated
// Workato, so anyone can try it in two minutes without a Slack workspace or a Workato account.
import { z } from "zod";
import { type Demo, startDemo } from "./start-demo.js";

const DEFAULT_PORT = 4321;
/** pino's numeric levels, for the app's warnings printed here */
const LEVEL_NAMES: ReadonlyMap<number, string> = new Map([
  [40, "warning"],
  [50, "error"],
  [60, "fatal"],
]);
const logLineSchema = z.looseObject({ level: z.number(), msg: z.string().optional() });

function printAppLog(line: string): void {
  let parsed: z.infer<typeof logLineSchema> | null = null;
  try {
    parsed = logLineSchema.parse(JSON.parse(line));
  } catch {
    // Not pino's JSON: print it as it came.
  }
  const level = parsed ? (LEVEL_NAMES.get(parsed.level) ?? "log") : "log";
  console.error(`app ${level}: ${parsed?.msg ?? line}`);
}

function isPortTaken(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "EADDRINUSE";
}

async function start(): Promise<Demo> {
  const askedPort = process.env.DEMO_PORT;
  const port = askedPort ? Number(askedPort) : DEFAULT_PORT;
  try {
    return await startDemo({ port, onAppLog: printAppLog });
  } catch (error) {
    if (askedPort || !isPortTaken(error)) throw error;
    console.error(`Port ${port} is taken; using a free one (DEMO_PORT=… picks another).`);
    return startDemo({ port: 0, onAppLog: printAppLog });
  }
}

const demo = await start();
const [, ...tryThese] = demo.suggestions;
console.log(`
workato-jobs demo: the real bot, a simulated Workato and a stand-in Slack channel, all on this machine.

  Open ${demo.url}

  Type /workato-jobs help there, or try:
${tryThese.map((command) => `    ${command}`).join("\n")}

  "Repeat N failed" on a list repeats the jobs and reports every result in the message's thread.
  A new failure arrives every 20-40 seconds. Stop with Ctrl+C.
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    demo.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("The demo did not stop cleanly:", error);
        process.exit(1);
      },
    );
  });
}
