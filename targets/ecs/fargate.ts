/**
 * The CPU and memory combinations Fargate accepts (in CPU units and MiB), from
 * the Amazon ECS developer guide's task size table.
 */
const PAIRS: readonly { cpu: number; memory: number[] }[] = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: range(1024, 4096, 1024) },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) },
];

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** CPU units of a vCPU figure (0.25 → 256). */
export function cpuUnits(vcpu: number): number {
  return Math.round(vcpu * 1024);
}

export function isFargateSize(cpu: number, memoryMiB: number): boolean {
  return PAIRS.some((p) => p.cpu === cpu && p.memory.includes(memoryMiB));
}

/**
 * Valid sizes to suggest: the smallest CPU that allows this memory, and this
 * CPU with the memory nearest to the one asked for; otherwise the closest
 * size overall.
 */
export function nearestFargateSizes(cpu: number, memoryMiB: number): string[] {
  const all = PAIRS.flatMap((p) => p.memory.map((memory) => ({ cpu: p.cpu, memory })));
  const suggestions: { cpu: number; memory: number }[] = [];
  const forMemory = all.find((s) => s.memory === memoryMiB);
  if (forMemory) suggestions.push(forMemory);
  const sameCpu = all.filter((s) => s.cpu === cpu).sort((a, b) => Math.abs(a.memory - memoryMiB) - Math.abs(b.memory - memoryMiB))[0];
  if (sameCpu) suggestions.push(sameCpu);
  if (suggestions.length === 0) {
    const distance = (s: { cpu: number; memory: number }) => Math.abs(Math.log2(s.cpu / cpu)) + Math.abs(Math.log2(s.memory / memoryMiB));
    suggestions.push([...all].sort((a, b) => distance(a) - distance(b))[0]!);
  }
  return suggestions.map((s) => `cpu: ${s.cpu / 1024}, memory: ${s.memory % 1024 === 0 ? `${s.memory / 1024}Gi` : `${s.memory}Mi`}`);
}
