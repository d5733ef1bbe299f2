// kube's HumanDuration (apimachinery pkg/util/duration): ~2-3 significant figures, as kubectl
// shows ages. Every division truncates, like Go's integer division of a time.Duration.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const div = (a: number, b: number): number => Math.trunc(a / b);

/**
 * humanDuration renders a duration in milliseconds: under -1s is `<invalid>`; (-2s, 0) is `0s`
 * (clock skew tolerance); <2m `%ds`; <10m `%dm%ds` (`%dm` on a whole minute); <3h `%dm`;
 * <8h `%dh%dm` (or `%dh`); <48h `%dh`; <8d `%dd%dh` (or `%dd`); <2y `%dd`; <8y `%dy%dd`
 * (or `%dy`); else `%dy`, with 365-day years.
 */
export function humanDuration(ms: number): string {
  const seconds = div(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  // `+ 0` turns the -0 of a tiny negative duration into 0
  if (seconds < 120) return `${seconds + 0}s`;
  const minutes = div(ms, MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 3 * 60) return `${minutes}m`;
  const hours = div(ms, HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${div(hours, 24)}d` : `${div(hours, 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${div(hours, 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = div(hours, 24) % 365;
    const years = div(hours, 24 * 365);
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${div(hours, 24 * 365)}y`;
}
