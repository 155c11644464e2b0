package dev.nn4j.serve.http;

/** What a {@link Route} does. */
enum Kind { LIVE, READY, SERVER_METADATA, MODEL_METADATA, MODEL_READY, INFER, PREDICT, LOAD, METRICS }
