/** A request whose path or query parameters are malformed (400). */
export class RequestException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestException';
  }
}
