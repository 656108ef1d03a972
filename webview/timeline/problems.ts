/** Reports what goes wrong in the page (CSP violations, uncaught errors) to whoever hosts it. */
export function reportProblems(send: (text: string) => void): void {
  document.addEventListener('securitypolicyviolation', (e) => send(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline content'}`));
  window.addEventListener('error', (e) => send(`error: ${e.message}`));
  window.addEventListener('unhandledrejection', (e) => send(`unhandled rejection: ${String(e.reason)}`));
}
