/**
 * @anklume/planner/testing: fixtures for tests and benchmarks, kept out of
 * the planner's public API (the converged observed state of a desired state,
 * and synthetic infras of any size).
 */
export { type SyntheticObservedOptions, syntheticInfra, syntheticObserved } from './bench.js'
export { type ConvergedOptions, fakeFingerprint, observedFrom } from './converged.js'
