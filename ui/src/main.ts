import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

async function start() {
  // Statically false outside `vite build --mode mock`, so the fake backend is dropped from dist/.
  if (import.meta.env.MODE === 'mock') {
    await import('./mock/install');
  }
  mount(App, { target: document.getElementById('app')! });
}

void start();
