export type ToastKind = 'info' | 'success' | 'error';
export type Toast = { id: number; kind: ToastKind; text: string };

let nextId = 1;

class Toasts {
  items = $state<Toast[]>([]);

  push(kind: ToastKind, text: string, ms = kind === 'error' ? 7000 : 3500) {
    const id = nextId++;
    this.items = [...this.items.slice(-3), { id, kind, text }];
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number) {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
