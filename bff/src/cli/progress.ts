import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * Progress of a long command on stderr, so stdout stays the command's answer (JSON, an export).
 * A terminal gets a bar that redraws itself; a pipe or a CI log gets a plain line per tenth,
 * since a bar's carriage returns turn into one endless line there.
 */
export function progressOn(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total}`,
        stream,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.setTotal(total);
        bar.update(done);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let shown = -1;
  return {
    update(done, total) {
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth <= shown) return;
      shown = tenth;
      stream.write(`${label}: ${done}/${total}\n`);
    },
    stop: () => undefined,
  };
}
