/**
 * turbo's run summaries (`--summarize`, or `TURBO_RUN_SUMMARY=true` for a turbo run started by a
 * script): which tasks ran or hit the cache, and when each started and ended.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface RunSummary {
  execution: { startTime: number; endTime: number };
  tasks: { taskId: string; hash: string; cache: { status: string }; execution?: { startTime: number; endTime: number } }[];
}

export function readRunSummary(file: string): RunSummary {
  return JSON.parse(readFileSync(file, "utf8")) as RunSummary;
}

/** The run summaries turbo wrote in `dir` since `sinceMs` (epoch), oldest first. */
export function runSummariesSince(dir: string, sinceMs: number): RunSummary[] {
  const runs = path.join(dir, ".turbo", "runs");
  let files: string[];
  try {
    files = readdirSync(runs).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  return files
    .map((f) => ({ file: path.join(runs, f), mtime: statSync(path.join(runs, f)).mtimeMs }))
    .filter((f) => f.mtime >= sinceMs)
    .sort((a, b) => a.mtime - b.mtime)
    .map((f) => readRunSummary(f.file));
}

export interface TaskTiming {
  readonly taskId: string;
  /** Milliseconds from the start of the turbo run. */
  readonly startMs: number;
  readonly durationMs: number;
  readonly cache: string;
}

/** Each task that had something to run, with its start and duration. */
export function taskTimings(summary: RunSummary): TaskTiming[] {
  return summary.tasks
    .filter((t) => t.execution && t.execution.endTime > 0)
    .map((t) => ({
      taskId: t.taskId,
      startMs: t.execution!.startTime - summary.execution.startTime,
      durationMs: t.execution!.endTime - t.execution!.startTime,
      cache: t.cache.status,
    }));
}
