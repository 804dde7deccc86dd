import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { url: string; functionName: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  /** An npm package, a folder of this repository, or a V8 category such as (garbage collector). */
  where: string;
  ms: number;
  percent: number;
}

/** The package or folder a script URL belongs to. */
function owner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:')) return 'node';
  const inRepo = /\/(src|bench|scripts)\/([^/]+)/.exec(url);
  return inRepo ? `${inRepo[1]}/${inRepo[2]!.replace(/\.[tj]s$/, '')}` : url;
}

/**
 * Where a process spent its CPU time, from the largest profile in `dir` (the main thread's; tsx's
 * loader thread writes a small one beside it): self time by package, busiest first, idle left out.
 * Time in a native function (a SQLite call, a socket write) counts for the package that called it.
 */
export function summariseProfile(dir: string, top = 15): ProfileShare[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!files[0]) return [];
  const profile = JSON.parse(readFileSync(files[0], 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const ownerOf = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) break;
      const where = owner(frame.url, frame.functionName);
      if (where !== '(native)') return where;
    }
    return '(native)';
  };
  const totals = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const where = ownerOf(id);
    if (where === '(idle)' || where === '(program)') return;
    const us = profile.timeDeltas[i] ?? 0;
    busy += us;
    totals.set(where, (totals.get(where) ?? 0) + us);
  });
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, us]) => ({
      where,
      ms: Math.round(us / 1000),
      percent: Math.round((us / busy) * 1000) / 10,
    }));
}
