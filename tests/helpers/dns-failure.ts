/**
 * The error Bun 1.4's fetch throws when a host name does not resolve, for injecting DNS failures
 * without any DNS traffic. Its shape was read off Bun 1.4.4 run in an empty network namespace
 * (`unshare -rn`): a TypeError "getaddrinfo EAI_AGAIN <host>" with code, errno, syscall and
 * hostname set; an answered lookup of a name that does not exist says ENOTFOUND instead.
 */

const ERRNO = { ENOTFOUND: -3008, EAI_AGAIN: -3001 } as const;

/** A fetch failure as Bun reports an unresolvable `hostname`. */
export function dnsFailure(hostname: string, code: keyof typeof ERRNO = "ENOTFOUND"): TypeError {
  return Object.assign(new TypeError(`getaddrinfo ${code} ${hostname}`), {
    code,
    errno: ERRNO[code],
    syscall: "getaddrinfo",
    hostname,
    path: `https://${hostname}/`,
  });
}
