/** The time source of the whole app; tests substitute a clock they can move. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export class ManualClock implements Clock {
  private current: Date
  constructor(start: Date | string = '2026-11-23T09:00:00+04:00') {
    this.current = new Date(start)
  }
  now(): Date {
    return new Date(this.current)
  }
  set(moment: Date | string): void {
    this.current = new Date(moment)
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000)
  }
}
