/**
 * The outbound HTTP clients taskwatch uses to reach task centers and IAM: never following redirects, bounded in time
 * and size, through an optional proxy and with an optional trust store. Everything that arrives over them is treated
 * as hostile input; see docs/security.md.
 */
package dev.taskwatch.http;
