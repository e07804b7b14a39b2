import { describe, expect, it } from 'vitest';
import { connectomeLayer, daleSignOf, parseConnectome, variantOf, CHEMOTAXIS_INPUTS, CHEMOTAXIS_OUTPUTS, type Connectome, type Edge } from '../../src/connectome/celegans.ts';
import { loadCelegans } from '../../src/connectome/celegans-files.ts';
import { fanInFromEdgeList } from '../../src/connectivity/fan-in.ts';

const degrees = (c: Connectome, edges: Edge[]) => {
  const out = new Uint32Array(c.neurons.length),
    inn = new Uint32Array(c.neurons.length);
  for (const e of edges) {
    out[e.pre]!++;
    inn[e.post]!++;
  }
  return { out: [...out], inn: [...inn] };
};

describe('the C. elegans connectome (data/celegans)', () => {
  const c = loadCelegans();

  it('has the 302 neurons, the chemical and gap-junction pairs, and the transmitter signs', () => {
    expect(c.neurons.length).toBe(302);
    expect(c.neurons).toContain('ASEL');
    expect(c.neurons).toContain('AS1'); // 'AS01' in the edge list
    expect(c.neurons.some((n) => /^[a-z]/.test(n))).toBe(false); // muscles dropped
    expect(c.chemical.length).toBe(3604);
    expect(c.gap.length).toBe(1080);
    const id = (n: string) => c.neurons.indexOf(n);
    // A known synapse: ASEL -> AIYL (the klinotaxis circuit's first step).
    expect(c.chemical.some((e) => e.pre === id('ASEL') && e.post === id('AIYL') && e.count > 0)).toBe(true);
    expect(c.gap.every((e) => e.pre < e.post)).toBe(true);
    const signs = c.transmitter.map((t) => daleSignOf(t));
    expect(signs[id('VD1')]).toBe(-1);
    expect(signs[id('RMED')]).toBe(-1);
    expect(signs[id('AVAL')]).toBe(1);
    expect(signs.filter((s) => s < 0).length).toBe(35);
    // Glutamate read as inhibitory (GluCl): the 100 glutamatergic neurons and the 3 co-releasing serotonin too.
    const gluInh = c.transmitter.map((t) => daleSignOf(t, 'inhibitory'));
    expect(gluInh[id('AIBL')]).toBe(-1);
    expect(gluInh[id('AVAL')]).toBe(1);
    expect(gluInh.filter((s) => s < 0).length).toBe(35 + 103);
  });

  it('parses the CSV: symmetric gap junctions, self-loops and muscles dropped, bad lines named', () => {
    const csv = 'Source,Target,Weight,Type\nAVAL,AVAR,3,chemical\nAVAL,AVAL,2,chemical\nAVBL,AVBR,2,electrical\nAVAL,dBWML1,4,chemical\n';
    const t = parseConnectome(csv, 'neuron,transmitter\nAVAL,Acetylcholine\nAVBR,GABA\n');
    expect(t.neurons).toEqual(['AVAL', 'AVAR', 'AVBL', 'AVBR', 'CANL', 'CANR']);
    expect(t.chemical).toEqual([{ pre: 0, post: 1, count: 3 }]);
    expect(t.gap).toEqual([{ pre: 2, post: 3, count: 2 }]);
    expect(t.transmitter[3]).toBe('GABA');
    expect(() => parseConnectome('h\nAVAL,AVAR,x,chemical', '')).toThrow(/line 2: weight/);
    expect(() => parseConnectome('h\nAVAL,AVAR,1,glue', '')).toThrow(/type must be chemical or electrical/);
  });

  it('degree-shuffle keeps every in-, out- and gap degree but rewires; random keeps only the counts', () => {
    const s = variantOf(c, 'degree-shuffle', 3);
    expect(degrees(c, s.chemical)).toEqual(degrees(c, c.chemical));
    const gapDeg = (edges: Edge[]) => {
      const d = new Uint32Array(c.neurons.length);
      for (const e of edges) {
        d[e.pre]!++;
        d[e.post]!++;
      }
      return [...d];
    };
    expect(gapDeg(s.gap)).toEqual(gapDeg(c.gap));
    const key = (e: Edge) => e.pre * 1000 + e.post;
    const real = new Set(c.chemical.map(key));
    const kept = s.chemical.filter((e) => real.has(key(e))).length;
    expect(kept / c.chemical.length).toBeLessThan(0.2); // mostly rewired
    expect(new Set(s.chemical.map(key)).size).toBe(s.chemical.length); // no duplicates
    expect(s.chemical.every((e) => e.pre !== e.post)).toBe(true);
    expect(s.chemical.map((e) => e.count).sort()).toEqual(c.chemical.map((e) => e.count).sort());
    expect(variantOf(c, 'degree-shuffle', 3)).toEqual(s); // seeded
    const r = variantOf(c, 'random', 3);
    expect(r.chemical.length).toBe(c.chemical.length);
    expect(r.gap.length).toBe(c.gap.length);
    expect(r.chemical.map((e) => e.count).sort()).toEqual(c.chemical.map((e) => e.count).sort());
    expect(Math.max(...degrees(c, r.chemical).out)).toBeLessThan(Math.max(...degrees(c, c.chemical).out)); // no hubs
  });

  it('lays out one recurrent layer: outputs first, inputs onto ASEL/ASER, weights shared out by count, Dale signs', () => {
    const l = connectomeLayer(c, { inputs: CHEMOTAXIS_INPUTS, outputs: CHEMOTAXIS_OUTPUTS, variant: 'connectome', seed: 0, weightScale: 3, inputWeight: 1 });
    expect(l.neurons.slice(0, 12)).toEqual([...CHEMOTAXIS_OUTPUTS]);
    const f = fanInFromEdgeList(l.edges, { neurons: 302, presynaptic: 304 });
    const pos = (n: string) => l.neurons.indexOf(n);
    const inputsOf = (n: string) => Array.from({ length: f.fanIn }, (_, k) => f.index[k * 302 + pos(n)]!).filter((j) => j < 304);
    expect(inputsOf('ASEL')).toContain(0);
    expect(inputsOf('ASER')).toContain(1);
    expect(inputsOf('AIYL')).toContain(2 + pos('ASEL'));
    // AVAL <- AVAR: chemical count + gap count, x 0.05.
    const id = (n: string) => c.neurons.indexOf(n);
    const chem = c.chemical.find((e) => e.pre === id('AVAR') && e.post === id('AVAL'))?.count ?? 0;
    const gap = c.gap.find((e) => (e.pre === id('AVAL') && e.post === id('AVAR')) || (e.pre === id('AVAR') && e.post === id('AVAL')))?.count ?? 0;
    expect(chem + gap).toBeGreaterThan(0);
    // Every neuron's synaptic weights sum to weightScale, shared out by count.
    let all = 0;
    for (const e of c.chemical) if (e.post === id('AVAL')) all += e.count;
    for (const e of c.gap) if (e.pre === id('AVAL') || e.post === id('AVAL')) all += e.count;
    const k = inputsOf('AVAL').indexOf(2 + pos('AVAR'));
    expect(f.weight![k * 302 + pos('AVAL')]).toBeCloseTo((3 * (chem + gap)) / all, 6);
    let sum = 0;
    for (let s = 0; s < f.fanIn; s++) if (f.index[s * 302 + pos('AVAL')]! >= 2 && f.index[s * 302 + pos('AVAL')]! < 304) sum += f.weight![s * 302 + pos('AVAL')]!;
    expect(sum).toBeCloseTo(3, 5);
    expect(f.sign![2 + pos('VD1')]).toBe(-1);
    expect(f.sign![0]).toBe(1);
    expect(() => connectomeLayer(c, { inputs: ['XYZ'], outputs: ['AVAL'], variant: 'connectome', seed: 0, weightScale: 1, inputWeight: 1 })).toThrow(/inputs: 'XYZ' is not a neuron/);
  });
});
