package io.kubesim.nodeagent.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A shell script parsed and compiled to a flat list of instructions, so that a simulated process
 * can stop in the middle of it (at a {@code sleep}) and resume later in virtual time.
 *
 * <p>The grammar is the part of POSIX sh that container commands use: simple commands with
 * quoting, variables ({@code $X}, {@code ${X}}), command substitution ({@code $(date)},
 * backquotes), arithmetic ({@code $((i+1))}), redirections, {@code ;}, {@code &&}, {@code ||},
 * {@code |}, {@code &}, newlines, {@code while}/{@code until}, {@code for}, {@code if}, and
 * {@code { ...; }} / {@code ( ... )} groups.
 */
public final class Script {

  /** A piece of a word; how it expands depends on the kind and on whether it was quoted. */
  sealed interface Part {}

  record Literal(String text, boolean quoted) implements Part {}

  record Var(String name, boolean quoted) implements Part {}

  record CommandSub(Script script, boolean quoted) implements Part {}

  record Arith(String expr, boolean quoted) implements Part {}

  /** One word of a command line, before expansion. */
  record Word(List<Part> parts) {
    /** The word's text if it is a plain unquoted literal (keywords, assignments), else null. */
    String plain() {
      StringBuilder sb = new StringBuilder();
      for (Part p : parts) {
        if (p instanceof Literal l && !l.quoted()) {
          sb.append(l.text());
        } else {
          return null;
        }
      }
      return sb.toString();
    }
  }

  /** {@code >}, {@code >>} or {@code <} on a file descriptor; a target of "&2" duplicates a descriptor. */
  record Redirect(int fd, String op, Word target) {}

  sealed interface Node {}

  record Simple(List<Word> words, List<Redirect> redirects) implements Node {}

  record Seq(List<Node> items) implements Node {}

  record AndOr(Node left, boolean and, Node right) implements Node {}

  record Not(Node inner) implements Node {}

  record Pipe(List<Node> stages) implements Node {}

  record Background(Node inner) implements Node {}

  record While(Node cond, Node body, boolean until) implements Node {}

  record For(String var, List<Word> items, Node body) implements Node {}

  record If(List<Node> conds, List<Node> bodies, Node otherwise) implements Node {}

  // ---------------------------------------------------------------- instructions

  sealed interface Insn {}

  /** Runs a command (or a pipeline, or a background command); sets $?. */
  record Run(Node command) implements Insn {}

  record Jump(int target) implements Insn {}

  /** Jumps when $? is non-zero ({@code onFailure}) or zero. */
  record JumpIf(boolean onFailure, int target) implements Insn {}

  /** Inverts $?. */
  record Negate() implements Insn {}

  /** Starts a for loop: expands the items into loop slot {@code slot}. */
  record ForInit(int slot, List<Word> items) implements Insn {}

  /** Assigns the next item of loop slot {@code slot} to {@code var}, or jumps to {@code end}. */
  record ForNext(int slot, String var, int end) implements Insn {}

  private final Node root;
  private final List<Insn> code;
  private final int loopSlots;

  private Script(Node root, List<Insn> code, int loopSlots) {
    this.root = root;
    this.code = code;
    this.loopSlots = loopSlots;
  }

  /** Parses a script; throws {@link SyntaxError} with sh's message when it cannot. */
  public static Script parse(String source) {
    Node root = new Parser(source).parseAll();
    Compiler c = new Compiler();
    c.emit(root);
    return new Script(root, List.copyOf(c.code), c.slots);
  }

  /** A script of one command given as an argument vector (no shell parsing, as exec does it). */
  public static Script argv(List<String> argv) {
    List<Word> words = new ArrayList<>();
    for (String a : argv) {
      words.add(new Word(List.of(new Literal(a, true))));
    }
    Node root = new Simple(words, List.of());
    return new Script(root, List.of(new Run(root)), 0);
  }

  /** Compiles an already parsed node (a compound command run inside a pipeline or in the background). */
  static Script of(Node node) {
    Compiler c = new Compiler();
    c.emit(node);
    return new Script(node, List.copyOf(c.code), c.slots);
  }

  Node root() {
    return root;
  }

  List<Insn> code() {
    return code;
  }

  int loopSlots() {
    return loopSlots;
  }

  /** A script that sh refuses to run. */
  public static final class SyntaxError extends RuntimeException {
    SyntaxError(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------- compiler

  private static final class Compiler {
    final List<Insn> code = new ArrayList<>();
    int slots;

    void emit(Node n) {
      if (n instanceof Seq s) {
        s.items().forEach(this::emit);
      } else if (n instanceof AndOr a) {
        emit(a.left());
        int jump = placeholder();
        emit(a.right());
        code.set(jump, new JumpIf(a.and(), code.size()));
      } else if (n instanceof Not not) {
        emit(not.inner());
        code.add(new Negate());
      } else if (n instanceof While w) {
        int top = code.size();
        emit(w.cond());
        int exit = placeholder();
        emit(w.body());
        code.add(new Jump(top));
        code.set(exit, new JumpIf(!w.until(), code.size()));
      } else if (n instanceof For f) {
        int slot = slots++;
        code.add(new ForInit(slot, f.items()));
        int top = code.size();
        int next = placeholder();
        emit(f.body());
        code.add(new Jump(top));
        code.set(next, new ForNext(slot, f.var(), code.size()));
      } else if (n instanceof If i) {
        List<Integer> toEnd = new ArrayList<>();
        for (int k = 0; k < i.conds().size(); k++) {
          emit(i.conds().get(k));
          int skip = placeholder();
          emit(i.bodies().get(k));
          toEnd.add(placeholder());
          code.set(skip, new JumpIf(true, code.size()));
        }
        if (i.otherwise() != null) {
          emit(i.otherwise());
        }
        for (int at : toEnd) {
          code.set(at, new Jump(code.size()));
        }
      } else {
        // Simple commands, pipelines and background commands run as one instruction.
        code.add(new Run(n));
      }
    }

    private int placeholder() {
      code.add(null);
      return code.size() - 1;
    }
  }

  // ---------------------------------------------------------------- lexer + parser

  private static final class Parser {
    private final String src;
    private int pos;

    Parser(String src) {
      this.src = src;
    }

    Node parseAll() {
      Node list = parseList(Set.END_OF_INPUT);
      skipBlanksAndNewlines();
      if (pos < src.length()) {
        throw new SyntaxError("syntax error: unexpected \"" + peekWordText() + "\"");
      }
      return list;
    }

    /** Keywords and characters that end a list. */
    private enum Set { END_OF_INPUT, DO, DONE, THEN, ELSE_FI, BRACE, PAREN }

    private Node parseList(Set until) {
      List<Node> items = new ArrayList<>();
      while (true) {
        skipBlanksAndNewlines();
        if (pos >= src.length() || atListEnd(until)) {
          break;
        }
        Node n = parseAndOr();
        skipBlanks();
        if (pos < src.length() && src.charAt(pos) == '&' && !src.startsWith("&&", pos)) {
          pos++;
          n = new Background(n);
        } else if (pos < src.length() && (src.charAt(pos) == ';' || src.charAt(pos) == '\n')) {
          if (src.startsWith(";;", pos)) {
            throw new SyntaxError("syntax error: unexpected \";;\"");
          }
          pos++;
        }
        items.add(n);
      }
      return items.size() == 1 ? items.get(0) : new Seq(items);
    }

    private boolean atListEnd(Set until) {
      String w = peekKeyword();
      return switch (until) {
        case END_OF_INPUT -> false;
        case DO -> "do".equals(w);
        case DONE -> "done".equals(w);
        case THEN -> "then".equals(w);
        case ELSE_FI -> "else".equals(w) || "elif".equals(w) || "fi".equals(w);
        case BRACE -> "}".equals(w);
        case PAREN -> pos < src.length() && src.charAt(pos) == ')';
      };
    }

    private Node parseAndOr() {
      Node left = parsePipeline();
      while (true) {
        skipBlanks();
        if (src.startsWith("&&", pos) || src.startsWith("||", pos)) {
          boolean and = src.charAt(pos) == '&';
          pos += 2;
          skipBlanksAndNewlines();
          Node right = parsePipeline();
          left = new AndOr(left, and, right);
        } else {
          return left;
        }
      }
    }

    private Node parsePipeline() {
      skipBlanks();
      boolean negate = false;
      if ("!".equals(peekKeyword())) {
        pos++;
        negate = true;
      }
      List<Node> stages = new ArrayList<>();
      stages.add(parseCommand());
      while (true) {
        skipBlanks();
        if (pos < src.length() && src.charAt(pos) == '|' && !src.startsWith("||", pos)) {
          pos++;
          skipBlanksAndNewlines();
          stages.add(parseCommand());
        } else {
          break;
        }
      }
      Node n = stages.size() == 1 ? stages.get(0) : new Pipe(stages);
      return negate ? new Not(n) : n;
    }

    private Node parseCommand() {
      skipBlanks();
      String kw = peekKeyword();
      if (kw != null) {
        switch (kw) {
          case "while", "until" -> {
            expectKeyword(kw);
            Node cond = parseList(Set.DO);
            expectKeyword("do");
            Node body = parseList(Set.DONE);
            expectKeyword("done");
            return new While(cond, body, kw.equals("until"));
          }
          case "for" -> {
            expectKeyword("for");
            skipBlanks();
            String var = readName();
            if (var.isEmpty()) {
              throw new SyntaxError("syntax error: bad for loop variable");
            }
            skipBlanks();
            List<Word> items = new ArrayList<>();
            if ("in".equals(peekKeyword())) {
              expectKeyword("in");
              while (true) {
                skipBlanks();
                if (pos >= src.length() || src.charAt(pos) == ';' || src.charAt(pos) == '\n') {
                  break;
                }
                items.add(readWord());
              }
            } else {
              items.add(new Word(List.of(new Var("@", true))));
            }
            skipBlanks();
            if (pos < src.length() && (src.charAt(pos) == ';' || src.charAt(pos) == '\n')) {
              pos++;
            }
            skipBlanksAndNewlines();
            expectKeyword("do");
            Node body = parseList(Set.DONE);
            expectKeyword("done");
            return new For(var, items, body);
          }
          case "if" -> {
            expectKeyword("if");
            List<Node> conds = new ArrayList<>();
            List<Node> bodies = new ArrayList<>();
            conds.add(parseList(Set.THEN));
            expectKeyword("then");
            bodies.add(parseList(Set.ELSE_FI));
            Node otherwise = null;
            while (true) {
              String k = peekKeyword();
              if ("elif".equals(k)) {
                expectKeyword("elif");
                conds.add(parseList(Set.THEN));
                expectKeyword("then");
                bodies.add(parseList(Set.ELSE_FI));
              } else if ("else".equals(k)) {
                expectKeyword("else");
                otherwise = parseList(Set.ELSE_FI);
              } else {
                expectKeyword("fi");
                break;
              }
            }
            return new If(conds, bodies, otherwise);
          }
          case "{" -> {
            expectKeyword("{");
            Node body = parseList(Set.BRACE);
            expectKeyword("}");
            return body;
          }
          case "do", "done", "then", "fi", "else", "elif", "}", "in" ->
              throw new SyntaxError("syntax error: unexpected \"" + kw + "\"");
          default -> { }
        }
      }
      if (pos < src.length() && src.charAt(pos) == '(') {
        pos++;
        Node body = parseList(Set.PAREN);
        skipBlanksAndNewlines();
        if (pos >= src.length() || src.charAt(pos) != ')') {
          throw new SyntaxError("syntax error: unexpected end of file (expecting \")\")");
        }
        pos++;
        return body;
      }
      return parseSimple();
    }

    private Node parseSimple() {
      List<Word> words = new ArrayList<>();
      List<Redirect> redirects = new ArrayList<>();
      while (true) {
        skipBlanks();
        if (pos >= src.length()) {
          break;
        }
        char c = src.charAt(pos);
        if (c == ';' || c == '\n' || c == '|' || c == ')' || (c == '&' && !src.startsWith("&>", pos))) {
          break;
        }
        Redirect r = tryRedirect();
        if (r != null) {
          redirects.add(r);
          continue;
        }
        words.add(readWord());
      }
      if (words.isEmpty() && redirects.isEmpty()) {
        String near = pos < src.length() ? String.valueOf(src.charAt(pos)) : "end of file";
        throw new SyntaxError(pos < src.length() ? "syntax error: unexpected \"" + near + "\""
            : "syntax error: unexpected end of file");
      }
      return new Simple(words, redirects);
    }

    private Redirect tryRedirect() {
      int start = pos;
      int fd = -1;
      if (pos < src.length() && Character.isDigit(src.charAt(pos)) && pos + 1 < src.length()
          && (src.charAt(pos + 1) == '>' || src.charAt(pos + 1) == '<')) {
        fd = src.charAt(pos) - '0';
        pos++;
      }
      if (src.startsWith("&>", pos)) {
        pos += 2;
        skipBlanks();
        return new Redirect(-2, ">", readWord());
      }
      if (pos < src.length() && (src.charAt(pos) == '>' || src.charAt(pos) == '<')) {
        String op;
        if (src.startsWith(">>", pos)) {
          op = ">>";
        } else if (src.charAt(pos) == '>') {
          op = ">";
        } else {
          op = "<";
        }
        pos += op.length();
        if (fd < 0) {
          fd = op.equals("<") ? 0 : 1;
        }
        if (pos < src.length() && src.charAt(pos) == '&') {
          pos++;
          StringBuilder target = new StringBuilder("&");
          while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '-')) {
            target.append(src.charAt(pos++));
          }
          return new Redirect(fd, op, new Word(List.of(new Literal(target.toString(), true))));
        }
        skipBlanks();
        if (pos >= src.length()) {
          throw new SyntaxError("syntax error: unexpected newline");
        }
        return new Redirect(fd, op, readWord());
      }
      pos = start;
      return null;
    }

    /** The next token if it is an unquoted word that could be a keyword; does not consume it. */
    private String peekKeyword() {
      skipBlanks();
      int end = pos;
      while (end < src.length() && " \t\n;&|()<>".indexOf(src.charAt(end)) < 0) {
        char c = src.charAt(end);
        if (c == '\'' || c == '"' || c == '\\' || c == '$' || c == '`') {
          return null;
        }
        end++;
      }
      if (end == pos) {
        return null;
      }
      String w = src.substring(pos, end);
      return switch (w) {
        case "while", "until", "do", "done", "for", "in", "if", "then", "else", "elif", "fi", "{", "}", "!" -> w;
        default -> null;
      };
    }

    private void expectKeyword(String kw) {
      skipBlanksAndNewlines();
      String w = peekKeyword();
      if (!kw.equals(w)) {
        if (pos >= src.length()) {
          throw new SyntaxError("syntax error: unexpected end of file (expecting \"" + kw + "\")");
        }
        throw new SyntaxError("syntax error: unexpected \"" + peekWordText() + "\" (expecting \"" + kw + "\")");
      }
      pos += kw.length();
    }

    private String peekWordText() {
      int end = pos;
      while (end < src.length() && " \t\n".indexOf(src.charAt(end)) < 0) {
        end++;
      }
      return end == pos ? (pos < src.length() ? String.valueOf(src.charAt(pos)) : "") : src.substring(pos, end);
    }

    private String readName() {
      int start = pos;
      while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
        pos++;
      }
      return src.substring(start, pos);
    }

    private void skipBlanks() {
      while (pos < src.length()) {
        char c = src.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\r') {
          pos++;
        } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
          pos += 2;
        } else if (c == '#' && (pos == 0 || " \t\n;".indexOf(src.charAt(pos - 1)) >= 0)) {
          while (pos < src.length() && src.charAt(pos) != '\n') {
            pos++;
          }
        } else {
          break;
        }
      }
    }

    private void skipBlanksAndNewlines() {
      while (true) {
        skipBlanks();
        if (pos < src.length() && (src.charAt(pos) == '\n' || src.charAt(pos) == ';')) {
          if (src.charAt(pos) == ';' && (pos + 1 < src.length() && src.charAt(pos + 1) == ';')) {
            throw new SyntaxError("syntax error: unexpected \";;\"");
          }
          pos++;
        } else {
          return;
        }
      }
    }

    /** Reads one word: unquoted text, quotes, escapes and expansions, up to a blank or operator. */
    private Word readWord() {
      List<Part> parts = new ArrayList<>();
      StringBuilder lit = new StringBuilder();
      while (pos < src.length()) {
        char c = src.charAt(pos);
        if (" \t\n;&|<>()".indexOf(c) >= 0) {
          if (c == '(' && !parts.isEmpty() || c == '(' && lit.length() > 0) {
            // e.g. "a(b": not a subshell start; keep as text
            lit.append(c);
            pos++;
            continue;
          }
          break;
        }
        if (c == '\\') {
          if (pos + 1 < src.length()) {
            if (src.charAt(pos + 1) != '\n') {
              flush(parts, lit, false);
              parts.add(new Literal(String.valueOf(src.charAt(pos + 1)), true));
            }
            pos += 2;
          } else {
            pos++;
          }
        } else if (c == '\'') {
          int end = src.indexOf('\'', pos + 1);
          if (end < 0) {
            throw new SyntaxError("syntax error: unterminated quoted string");
          }
          flush(parts, lit, false);
          parts.add(new Literal(src.substring(pos + 1, end), true));
          pos = end + 1;
        } else if (c == '"') {
          flush(parts, lit, false);
          pos++;
          readDoubleQuoted(parts);
        } else if (c == '$' || c == '`') {
          flush(parts, lit, false);
          parts.add(readDollar(false));
        } else {
          lit.append(c);
          pos++;
        }
      }
      flush(parts, lit, false);
      return new Word(parts);
    }

    private void readDoubleQuoted(List<Part> parts) {
      StringBuilder lit = new StringBuilder();
      while (true) {
        if (pos >= src.length()) {
          throw new SyntaxError("syntax error: unterminated quoted string");
        }
        char c = src.charAt(pos);
        if (c == '"') {
          pos++;
          break;
        }
        if (c == '\\' && pos + 1 < src.length() && "$`\"\\\n".indexOf(src.charAt(pos + 1)) >= 0) {
          if (src.charAt(pos + 1) != '\n') {
            lit.append(src.charAt(pos + 1));
          }
          pos += 2;
        } else if (c == '$' || c == '`') {
          flush(parts, lit, true);
          parts.add(readDollar(true));
        } else {
          lit.append(c);
          pos++;
        }
      }
      flush(parts, lit, true);
      if (parts.isEmpty()) {
        parts.add(new Literal("", true));
      }
    }

    private Part readDollar(boolean quoted) {
      char c = src.charAt(pos);
      if (c == '`') {
        int end = src.indexOf('`', pos + 1);
        if (end < 0) {
          throw new SyntaxError("syntax error: unterminated quoted string");
        }
        String inner = src.substring(pos + 1, end);
        pos = end + 1;
        return new CommandSub(Script.parse(inner), quoted);
      }
      // c == '$'
      if (pos + 1 >= src.length()) {
        pos++;
        return new Literal("$", quoted);
      }
      char n = src.charAt(pos + 1);
      if (n == '(' && pos + 2 < src.length() && src.charAt(pos + 2) == '(') {
        int end = matching(pos + 3, "((", "))");
        String expr = src.substring(pos + 3, end);
        pos = end + 2;
        return new Arith(expr, quoted);
      }
      if (n == '(') {
        int end = matchingParen(pos + 2);
        String inner = src.substring(pos + 2, end);
        pos = end + 1;
        return new CommandSub(Script.parse(inner), quoted);
      }
      if (n == '{') {
        int end = src.indexOf('}', pos + 2);
        if (end < 0) {
          throw new SyntaxError("syntax error: missing '}'");
        }
        String name = src.substring(pos + 2, end);
        pos = end + 1;
        return new Var(name, quoted);
      }
      if (Character.isLetter(n) || n == '_') {
        pos++;
        return new Var(readName(), quoted);
      }
      if (Character.isDigit(n) || "?$#@*!-".indexOf(n) >= 0) {
        pos += 2;
        return new Var(String.valueOf(n), quoted);
      }
      pos++;
      return new Literal("$", quoted);
    }

    private int matchingParen(int from) {
      int depth = 1;
      int i = from;
      while (i < src.length()) {
        char c = src.charAt(i);
        if (c == '\'') {
          int end = src.indexOf('\'', i + 1);
          i = end < 0 ? src.length() : end + 1;
          continue;
        }
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
          if (depth == 0) {
            return i;
          }
        }
        i++;
      }
      throw new SyntaxError("syntax error: unexpected end of file (expecting \")\")");
    }

    private int matching(int from, String open, String close) {
      int depth = 0;
      for (int i = from; i < src.length(); i++) {
        if (src.startsWith(close, i) && depth == 0) {
          return i;
        }
        char c = src.charAt(i);
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
        }
      }
      throw new SyntaxError("syntax error: missing '))'");
    }

    private static void flush(List<Part> parts, StringBuilder lit, boolean quoted) {
      if (lit.length() > 0) {
        parts.add(new Literal(lit.toString(), quoted));
        lit.setLength(0);
      }
    }
  }
}
