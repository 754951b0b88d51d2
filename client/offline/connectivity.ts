// Whether Atalaya's server answered at start. navigator.onLine says only that some network is up
// (a phone on a village's wifi with no route out says "online"); what matters is this server.
let reachable = true;

export function setServerReachable(value: boolean): void {
  reachable = value;
}

export function serverReachable(): boolean {
  return reachable && navigator.onLine;
}
