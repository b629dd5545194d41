// The device model, after Micro-Manager's: every device has a label, a kind, a lifecycle (initialize with an
// AbortSignal, shutdown), a busy() flag, typed properties with limits or allowed values, property-change and
// state events, and its own timeout. Drivers extend BaseDevice and declare their properties once.
import { DeviceError, type DeviceErrorCode } from './errors.ts';
import { Listeners, type Unsubscribe } from '../../electron/base/listeners.ts';

export type DeviceKind = 'camera' | 'light' | 'stage';
export type DeviceState = 'disconnected' | 'connecting' | 'ready' | 'error';
export type PropertyValue = number | string | boolean;

export interface PropertySpec {
  name: string;
  type: 'number' | 'integer' | 'string' | 'boolean';
  unit?: string;
  min?: number;
  max?: number;
  /** When present, the only accepted values. */
  allowed?: readonly (string | number)[];
  readOnly?: boolean;
}

export interface PropertyChange {
  device: string;
  name: string;
  value: PropertyValue;
}

export interface StateChange {
  device: string;
  state: DeviceState;
  error?: { code: DeviceErrorCode; message: string };
}

export interface Device {
  readonly label: string;
  readonly kind: DeviceKind;
  readonly state: DeviceState;
  /** Milliseconds a single exchange with the device may take before it counts as silent. */
  readonly timeoutMs: number;
  initialize(signal?: AbortSignal): Promise<void>;
  shutdown(): Promise<void>;
  busy(): boolean;
  properties(): readonly PropertySpec[];
  getProperty(name: string): PropertyValue;
  setProperty(name: string, value: PropertyValue, signal?: AbortSignal): Promise<void>;
  onPropertyChanged(listener: (change: PropertyChange) => void): Unsubscribe;
  onStateChanged(listener: (change: StateChange) => void): Unsubscribe;
}

/** Checks a value against a property's spec; the one place that decides "out of range". */
export function checkPropertyValue(device: string, spec: PropertySpec, value: PropertyValue): PropertyValue {
  const refuse = (why: string) =>
    new DeviceError('out-of-range', device, `${spec.name} ${why}`, { property: spec.name, value });
  if (spec.readOnly) throw new DeviceError('unsupported', device, `${spec.name} is read-only`, { property: spec.name });
  if (spec.type === 'number' || spec.type === 'integer') {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw refuse(`must be a finite number, got ${JSON.stringify(value)}`);
    if (spec.type === 'integer' && !Number.isInteger(value)) throw refuse(`must be an integer, got ${value}`);
    if (spec.min !== undefined && value < spec.min)
      throw refuse(`${value} is below the minimum ${spec.min}${spec.unit ? ' ' + spec.unit : ''}`);
    if (spec.max !== undefined && value > spec.max)
      throw refuse(`${value} is above the maximum ${spec.max}${spec.unit ? ' ' + spec.unit : ''}`);
  } else if (spec.type === 'boolean') {
    if (typeof value !== 'boolean') throw refuse(`must be true or false, got ${JSON.stringify(value)}`);
  } else if (typeof value !== 'string') {
    throw refuse(`must be a string, got ${JSON.stringify(value)}`);
  }
  if (spec.allowed && !spec.allowed.includes(value as string | number))
    throw refuse(`must be one of ${spec.allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value;
}

export abstract class BaseDevice implements Device {
  readonly label: string;
  abstract readonly kind: DeviceKind;
  readonly timeoutMs: number;
  protected readonly values = new Map<string, PropertyValue>();
  private readonly propertyListeners = new Listeners<PropertyChange>();
  private readonly stateListeners = new Listeners<StateChange>();
  private currentState: DeviceState = 'disconnected';

  constructor(label: string, timeoutMs: number) {
    this.label = label;
    this.timeoutMs = timeoutMs;
  }

  get state(): DeviceState {
    return this.currentState;
  }

  abstract initialize(signal?: AbortSignal): Promise<void>;
  abstract shutdown(): Promise<void>;
  abstract busy(): boolean;
  abstract properties(): readonly PropertySpec[];
  /** Sends an already validated value to the device. */
  protected abstract applyProperty(name: string, value: PropertyValue, signal?: AbortSignal): Promise<void>;

  getProperty(name: string): PropertyValue {
    this.spec(name);
    const value = this.values.get(name);
    if (value === undefined)
      throw new DeviceError('not-initialized', this.label, `${name} is not known until the device is initialized`);
    return value;
  }

  async setProperty(name: string, value: PropertyValue, signal?: AbortSignal): Promise<void> {
    const checked = checkPropertyValue(this.label, this.spec(name), value);
    this.requireReady();
    await this.applyProperty(name, checked, signal);
    this.updateValue(name, checked);
  }

  onPropertyChanged(listener: (change: PropertyChange) => void): Unsubscribe {
    return this.propertyListeners.add(listener);
  }

  onStateChanged(listener: (change: StateChange) => void): Unsubscribe {
    return this.stateListeners.add(listener);
  }

  protected spec(name: string): PropertySpec {
    const spec = this.properties().find((p) => p.name === name);
    if (!spec) throw new DeviceError('unsupported', this.label, `has no property "${name}"`, { property: name });
    return spec;
  }

  /** Records a value read from or written to the device; emits only on change. */
  protected updateValue(name: string, value: PropertyValue): void {
    if (this.values.get(name) === value) return;
    this.values.set(name, value);
    this.propertyListeners.emit({ device: this.label, name, value });
  }

  /**
   * After a failed initialize: releases what was opened and reports the failure. A device that is not there (port
   * gone, cable out) is `disconnected`, so the station keeps telling "unplugged" apart from "answered wrongly"
   * while it retries. Returns the failure for the driver to throw.
   */
  protected async initializeFailed(error: unknown): Promise<DeviceError> {
    const failure =
      error instanceof DeviceError ? error : new DeviceError('disconnected', this.label, (error as Error).message);
    await this.shutdown();
    this.setState(failure.code === 'disconnected' ? 'disconnected' : 'error', failure);
    return failure;
  }

  protected setState(state: DeviceState, error?: DeviceError): void {
    if (state === this.currentState && !error) return;
    this.currentState = state;
    this.stateListeners.emit({
      device: this.label,
      state,
      ...(error ? { error: { code: error.code, message: error.message } } : {}),
    });
  }

  protected requireReady(): void {
    if (this.currentState !== 'ready')
      throw new DeviceError(
        this.currentState === 'disconnected' ? 'disconnected' : 'not-initialized',
        this.label,
        `is ${this.currentState}`,
      );
  }
}
