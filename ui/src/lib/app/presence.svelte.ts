// Whether the user can see the window. The core suppresses notifications for the conversation
// that is open *and* seen, and read receipts must only be sent for messages actually on screen.
class Presence {
  visible = $state(typeof document === 'undefined' ? true : document.visibilityState !== 'hidden');
  focused = $state(typeof document === 'undefined' ? true : document.hasFocus());
  seen = $derived(this.visible && this.focused);

  /** Starts tracking; returns the function that stops it. */
  track(): () => void {
    const onVisibility = () => (this.visible = document.visibilityState !== 'hidden');
    const onFocus = () => (this.focused = true);
    const onBlur = () => (this.focused = false);
    // The window starts hidden and is shown once the page has loaded (src-tauri first_show.rs),
    // possibly before this runs: read the state now rather than trust the one at module load.
    onVisibility();
    this.focused = document.hasFocus();
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('focus', onFocus);
    window.addEventListener('blur', onBlur);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('focus', onFocus);
      window.removeEventListener('blur', onBlur);
    };
  }
}

export const presence = new Presence();
