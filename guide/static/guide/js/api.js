// The guide reads the public API only (/api/v1/…), in the page's language.
// Errors are thrown as ApiError with the problem+json detail, never swallowed.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function apiUrl(path, params = {}) {
  if (!path.startsWith('/api/v1/')) throw new Error(`Not a public API path: ${path}`);
  const url = new URL(path, window.location.origin);
  url.searchParams.set('lang', document.body.dataset.lang);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) url.searchParams.set(key, value);
  }
  return url;
}

export async function api(path, params = {}) {
  let response;
  try {
    response = await fetch(apiUrl(path, params), { headers: { Accept: 'application/json' } });
  } catch (error) {
    throw new ApiError(0, { detail: navigator.onLine ? error.message : 'offline' });
  }
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      problem = { title: response.statusText };
    }
    throw new ApiError(response.status, problem);
  }
  return response.json();
}
