/**
 * Property-based tests run with a fixed seed so CI is reproducible; `FC_SEED=<n>` replays a
 * reported failure and `FC_SEED=random` explores new cases locally.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: seed ? Number(seed) : 20261124 });
