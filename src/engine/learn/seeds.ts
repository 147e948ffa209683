/**
 * Seed ranges that keep training, model selection and evaluation apart. Evaluation seeds are the
 * small ones the backtest is run on (1..`VALIDATION_SEED_MIN` − 1); validation (model selection)
 * uses [`VALIDATION_SEED_MIN`, `TRAINING_SEED_MIN`); training draws only from
 * `TRAINING_SEED_MIN` up. The training stream refuses any seed below that, so an evaluation seed can
 * never reach the learner.
 */

/** The first seed training may use. */
export const TRAINING_SEED_MIN = 1_000_000;
/** The first validation (model selection) seed; evaluation seeds lie below it. */
export const VALIDATION_SEED_MIN = 900_000;
/** The largest seed a training run may reach (exclusive); the backtest's AC pilot seeds start here. */
export const TRAINING_SEED_MAX = 1_000_000_000;

/** Throws unless `seed` is a training seed. */
export function assertTrainingSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < TRAINING_SEED_MIN || seed >= TRAINING_SEED_MAX) {
    throw new Error(`seed ${seed} is not a training seed: training uses ${TRAINING_SEED_MIN}..${TRAINING_SEED_MAX - 1}; seeds below ${VALIDATION_SEED_MIN} are for evaluation and ${VALIDATION_SEED_MIN}..${TRAINING_SEED_MIN - 1} for validation`);
  }
}

/** Throws unless `seed` is a validation seed. */
export function assertValidationSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < VALIDATION_SEED_MIN || seed >= TRAINING_SEED_MIN) {
    throw new Error(`seed ${seed} is not a validation seed, expected ${VALIDATION_SEED_MIN}..${TRAINING_SEED_MIN - 1}`);
  }
}

/**
 * Throws when any of `seeds` is a training seed: a policy is never backtested on a seed it may have
 * trained on. Validation seeds pass (model selection may backtest on them); reported evaluations
 * use seeds below `VALIDATION_SEED_MIN`.
 */
export function assertNotTrainingSeeds(seeds: readonly number[]): void {
  const bad = seeds.filter((s) => s >= TRAINING_SEED_MIN && s < TRAINING_SEED_MAX);
  if (bad.length > 0) throw new Error(`a policy is not backtested on training seeds (${TRAINING_SEED_MIN}..${TRAINING_SEED_MAX - 1}); evaluate below ${VALIDATION_SEED_MIN}, received ${bad.slice(0, 5).join(', ')}`);
}

/** Consecutive episode seeds for training, from `first` up; refuses to hand out anything but training seeds. */
export class TrainingSeedStream {
  private cursor: number;

  constructor(first: number) {
    assertTrainingSeed(first);
    this.cursor = first;
  }

  /** The next seed to be handed out (saved in checkpoints). */
  get position(): number {
    return this.cursor;
  }

  /** Returns the next training seed. */
  next(): number {
    const s = this.cursor;
    assertTrainingSeed(s);
    this.cursor++;
    return s;
  }
}

/** Returns the first training seed of a run with training seed `seed` (runs of different seeds get disjoint blocks of 10M). */
export function trainingSeedBase(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 98) throw new Error(`--seed must be an integer in 0..98, received ${seed}`);
  return TRAINING_SEED_MIN + seed * 10_000_000;
}
