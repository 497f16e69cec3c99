package dev.deploykit.llm.internal;

/** A request that ends with an error status and an error body. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;

  ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
