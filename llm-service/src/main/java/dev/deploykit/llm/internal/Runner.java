package dev.deploykit.llm.internal;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One model as llama.cpp runs it: loaded on first use, one request at a time (others queue, as
 * with Ollama's default of one parallel request), unloaded when its keep-alive runs out.
 *
 * <p>Thread safety: safe for concurrent use; every use of the native model holds the lock.
 */
public final class Runner {
  private static final System.Logger log = System.getLogger(Runner.class.getName());

  private final ModelStore.Entry entry;
  private final int contextLength;
  private final int threads;
  private final int maxQueue;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final AtomicInteger waiting = new AtomicInteger();
  private final List<Integer> highByteTokens;
  private final int bos;
  private volatile @Nullable LlamaModel model;
  private @Nullable Instant expiresAt;
  private @Nullable ScheduledFuture<?> unload;

  /** What a generation asks for. */
  public record Request(String prompt, int numPredict, @Nullable Float temperature,
      @Nullable Integer seed, List<String> stop, boolean truncate, @Nullable Float topP,
      @Nullable Integer topK, @Nullable Float repeatPenalty) {}

  /** What a generation did, with measured durations. */
  public record Result(String text, String doneReason, int promptTokens, int evalCount,
      Duration loadDuration, Duration promptEvalDuration, Duration evalDuration,
      List<Integer> context) {}

  /** The request would not fit: thrown before any work, so the caller can answer 400. */
  public static final class InputTooLongException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InputTooLongException(String message) {
      super(message);
    }
  }

  /** More requests wait for this model than the server accepts. */
  public static final class BusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BusyException() {
      super("server busy, please try again.  maximum pending requests exceeded");
    }
  }

  Runner(ModelStore.Entry entry, int contextLength, int threads, int maxQueue, Clock clock,
      ScheduledExecutorService timer) {
    this.entry = entry;
    this.contextLength = contextLength;
    this.threads = threads;
    this.maxQueue = maxQueue;
    this.clock = clock;
    this.timer = timer;
    this.highByteTokens = highByteTokens(entry.metadata());
    this.bos = entry.metadata().number("tokenizer.ggml.bos_token_id").orElse(1L).intValue();
  }

  public ModelStore.Entry entry() {
    return entry;
  }

  public int contextLength() {
    return contextLength;
  }

  /** When the model unloads, if it is loaded. */
  public synchronized @Nullable Instant expiresAt() {
    return expiresAt;
  }

  public boolean loaded() {
    return model != null;
  }

  /** Loads the model if needed (waiting behind running requests) and returns the load time. */
  public Duration load(Duration keepAlive) throws InterruptedException {
    enter();
    try {
      Duration d = ensureLoaded();
      keep(keepAlive);
      return d;
    } finally {
      lock.unlock();
    }
  }

  /** Unloads the model now (waiting for a running request to finish). */
  public void unload() throws InterruptedException {
    enter();
    try {
      unloadLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Generates text. {@code onToken} sees each token's text as it is sampled; when it throws (the
   * client went away) the generation is cancelled and the exception propagates.
   *
   * @throws InputTooLongException when the prompt does not fit and truncation is off
   * @throws BusyException when the queue is full
   */
  public Result generate(Request request, Duration keepAlive, Consumer<String> onToken)
      throws InterruptedException {
    enter();
    try {
      Duration loadDuration = ensureLoaded();
      LlamaModel m = model;
      String prompt = request.prompt();
      int promptTokens = m.encode(prompt).length + 1; // + BOS, which llama.cpp adds
      if (promptTokens >= contextLength) {
        if (!request.truncate()) {
          keep(keepAlive);
          throw new InputTooLongException("input length (" + promptTokens
              + " tokens) exceeds the model's context length (" + contextLength + " tokens)");
        }
        // Ollama's default: keep the end of the prompt and leave room to answer.
        int[] tokens = m.encode(prompt);
        int keep = contextLength / 2;
        int[] tail = java.util.Arrays.copyOfRange(tokens, tokens.length - keep, tokens.length);
        prompt = m.decode(tail);
        promptTokens = m.encode(prompt).length + 1;
        log.log(System.Logger.Level.WARNING, "truncating input prompt: limit={0} prompt={1} new={2}",
            contextLength, tokens.length + 1, promptTokens);
      }
      int room = contextLength - promptTokens;
      boolean limitedByRequest = request.numPredict() >= 0 && request.numPredict() <= room;
      int nPredict = limitedByRequest ? request.numPredict() : room;
      InferenceParameters p = new InferenceParameters(prompt)
          .setNPredict(nPredict)
          // A fresh evaluation of the whole prompt every time: reusing the prompt cache changes
          // the float path, and with it greedy choices between near-equal logits.
          .setCachePrompt(false)
          .setTemperature(request.temperature() == null ? 0.8f : request.temperature())
          .setSeed(request.seed() == null ? (int) (System.nanoTime() & 0x7fffffff) : request.seed());
      if (request.topP() != null) {
        p.setTopP(request.topP());
      }
      if (request.topK() != null) {
        p.setTopK(request.topK());
      }
      if (request.repeatPenalty() != null) {
        p.setRepeatPenalty(request.repeatPenalty());
      }
      if (!request.stop().isEmpty()) {
        p.setStopStrings(request.stop().toArray(String[]::new));
      }
      if (!highByteTokens.isEmpty()) {
        // Byte tokens 0x80..0xFF are fragments of UTF-8 characters that llama.cpp holds back
        // until complete, merging several tokens into one chunk. Without them every chunk is
        // one token, so eval_count counts tokens exactly and every chunk is valid UTF-8.
        p.disableTokenIds(highByteTokens);
      }
      StringBuilder text = new StringBuilder();
      int outputs = 0;
      long start = System.nanoTime();
      long firstToken = 0;
      if (nPredict > 0) {
        LlamaIterator it = m.generate(p).iterator();
        try {
          while (it.hasNext()) {
            LlamaOutput out = it.next();
            if (!it.hasNext()) {
              // The final result closes the stream; it carries no token of its own.
              if (!out.text.isEmpty()) {
                text.append(out.text);
                onToken.accept(out.text);
              }
              break;
            }
            if (outputs == 0) {
              firstToken = System.nanoTime();
            }
            outputs++;
            text.append(out.text);
            if (!out.text.isEmpty()) {
              onToken.accept(out.text);
            }
          }
        } catch (RuntimeException e) {
          it.cancel();
          throw e;
        }
      }
      long end = System.nanoTime();
      if (firstToken == 0) {
        firstToken = end;
      }
      String reason = outputs >= nPredict ? "length" : "stop";
      // Ollama's "context": the tokens of this exchange, to continue from (BOS, prompt, answer).
      List<Integer> context = new ArrayList<>();
      context.add(bos);
      for (int t : m.encode(prompt)) {
        context.add(t);
      }
      for (int t : m.encode(text.toString())) {
        context.add(t);
      }
      keep(keepAlive);
      return new Result(text.toString(), reason, promptTokens, outputs, loadDuration,
          Duration.ofNanos(firstToken - start), Duration.ofNanos(end - firstToken),
          List.copyOf(context));
    } finally {
      lock.unlock();
    }
  }

  /** Tokenizes with the loaded model (loads it if needed). */
  public int[] encode(String text, Duration keepAlive) throws InterruptedException {
    enter();
    try {
      ensureLoaded();
      keep(keepAlive);
      return model.encode(text);
    } finally {
      lock.unlock();
    }
  }

  /** Unloads at once and stops the timer for this runner; used at server shutdown. */
  void close() {
    lock.lock();
    try {
      unloadLocked();
    } finally {
      lock.unlock();
    }
  }

  private void enter() throws InterruptedException {
    if (lock.tryLock()) {
      return;
    }
    if (waiting.incrementAndGet() > maxQueue) {
      waiting.decrementAndGet();
      throw new BusyException();
    }
    try {
      lock.lockInterruptibly();
    } finally {
      waiting.decrementAndGet();
    }
  }

  private Duration ensureLoaded() {
    if (model != null) {
      return Duration.ZERO;
    }
    long start = System.nanoTime();
    try {
      model = new LlamaModel(new ModelParameters()
          .setModel(entry.file().toString())
          .setCtxSize(contextLength)
          .setThreads(threads)
          .setThreadsBatch(threads)
          .setParallel(1));
    } catch (RuntimeException e) { // de.kherud.llama.LlamaException, which is not public
      // llama.cpp writes the reason to its log only; the log line above this error names it.
      throw new IllegalStateException("error loading model " + entry.file() + ": " + e.getMessage(), e);
    }
    Duration d = Duration.ofNanos(System.nanoTime() - start);
    log.log(System.Logger.Level.INFO, "loaded {0} ({1} bytes, context {2}) in {3} ms", entry.name(),
        entry.size(), contextLength, String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e6));
    return d;
  }

  private void keep(Duration keepAlive) {
    synchronized (this) {
      if (unload != null) {
        unload.cancel(false);
        unload = null;
      }
      if (keepAlive.isZero() || keepAlive.isNegative()) {
        expiresAt = null;
      } else if (keepAlive.compareTo(KeepAlive.FOREVER) >= 0) {
        expiresAt = Instant.parse("2318-11-28T00:00:00Z");
      } else {
        expiresAt = clock.instant().plus(keepAlive);
        unload = timer.schedule(this::expire, keepAlive.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    if (keepAlive.isZero() || keepAlive.isNegative()) {
      unloadLocked();
    }
  }

  private void expire() {
    if (!lock.tryLock()) {
      return; // busy: the running request sets a new expiry when it ends
    }
    try {
      Instant at = expiresAt();
      if (at != null && !at.isAfter(clock.instant())) {
        unloadLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  private void unloadLocked() {
    synchronized (this) {
      if (unload != null) {
        unload.cancel(false);
        unload = null;
      }
      expiresAt = null;
    }
    if (model != null) {
      model.close();
      model = null;
      log.log(System.Logger.Level.INFO, "unloaded {0}", entry.name());
    }
  }

  private static List<Integer> highByteTokens(GgufMetadata metadata) {
    List<String> tokens = metadata.tokens();
    List<Integer> types = metadata.tokenTypes();
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < tokens.size() && i < types.size(); i++) {
      String t = tokens.get(i);
      if (types.get(i) == 6 && t.length() == 6 && t.startsWith("<0x") && t.endsWith(">")) {
        int b = Integer.parseInt(t.substring(3, 5), 16);
        if (b >= 0x80) {
          ids.add(i);
        }
      }
    }
    return List.copyOf(ids);
  }
}
