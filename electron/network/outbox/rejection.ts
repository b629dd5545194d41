// A refusal the station itself makes about a job (a receipt that does not check out, a report it cannot sign): the
// job is rejected with this code and shown to a person, not retried.
export class JobRejected extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
