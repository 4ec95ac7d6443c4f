package io.coop.http;

import java.io.IOException;

/** A request the server refuses with a status: thrown by the parser and the request body streams. */
final class HttpError extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String detail;

    HttpError(int status, String detail) {
        super(status + " " + Status.reason(status) + ": " + detail);
        this.status = status;
        this.detail = detail;
    }
}
