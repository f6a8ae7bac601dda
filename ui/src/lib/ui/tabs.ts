// Tab lists, as WAI-ARIA's tabs pattern has them (sign in / create account, Mentoring's requests,
// the Program screen): the list is one Tab stop, the selected tab; Left/Right (wrapping), Home and
// End move the focus and select the tab they reach (automatic activation); the panel says which
// tab it belongs to. A screen keeps which tab is selected and shows the one panel.
//
//   <div role="tablist" aria-label="…" use:tablist>
//     <button role="tab" {...tabProps('program', t.id, current)} onclick={() => (current = t.id)}>…
//   </div>
//   <div role="tabpanel" {...panelProps('program', current)}>…</div>
import { rove } from './roving';

const tabId = (group: string, id: string) => `${group}-tab-${id}`;
const panelId = (group: string) => `${group}-panel`;

/** Tab `id` of the list `group` while `selected` is: its id, state and place in the Tab order. */
export function tabProps(group: string, id: string, selected: string) {
  const on = id === selected;
  // Only the selected tab's panel is in the page, so only it names one.
  return { id: tabId(group, id), 'aria-selected': on, 'aria-controls': on ? panelId(group) : undefined, tabindex: on ? 0 : -1 };
}

/** The panel of the list `group`, showing tab `selected`. */
export function panelProps(group: string, selected: string) {
  return { id: panelId(group), 'aria-labelledby': tabId(group, selected) };
}

/** The keys of a role="tablist": moving to a tab clicks it, so the screen selects it as a click would. */
export function tablist(node: HTMLElement) {
  const onkeydown = (e: KeyboardEvent) => {
    const tabs = [...node.querySelectorAll<HTMLElement>('[role="tab"]')];
    rove(e, tabs, { axis: 'horizontal', wrap: true })?.click();
  };
  node.addEventListener('keydown', onkeydown);
  return { destroy: () => node.removeEventListener('keydown', onkeydown) };
}
