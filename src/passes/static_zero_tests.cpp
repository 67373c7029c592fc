// static_zero_tests: the zero test that moves the pointer becomes two ifs that do not.
//
// The common Brainfuck way to run code when a cell x is 0 needs the two cells after it, t
// and u, to hold 1 and 0: `[>-]>[- body >]` (after defer_moves: a loop on [x] whose body is
// `add [x+1] -1; move 1`, then a loop on [x+1] whose body ends with `move 1`). When x is not
// 0 the first loop clears t and steps onto it once; either way the second loop then tests a
// cell that is 1 only if x was 0, and ends one cell further on. So the pointer comes out one
// step along on both paths, but only because of what t and u hold: no pass can see it, and
// every loop around the test moves p, keeps its cells in memory (regalloc.hpp) and pays a
// branch on a cell it has just written through memory. Knowing t = 1 and u = 0 it is
//
//     if [x] { set [x+1] 0; check [x+2] }   if [x+1] { body; check [x+2] }   move 1
//
// (and the same to the left). The checks touch u where the loops tested it, so a u off the
// tape faults at the same op; every other touch keeps its op's position, no back-edge was
// taken before either, and the tape is the same at every op.
//
// t = 1 and u = 0 must hold every time the test runs, which depends on the tests around it
// being rewritten too (their loops' pointers then stay put). So the pass rewrites every
// instance, then proves the conditions on the rewritten program by a forward walk over
// constant cell values that goes around each loop until what it knows at the loop's start
// holds after its body as well (a few rounds at most; a bounded amount of work in all),
// and undoes the instances it could not prove, until it proves all that are left. Sound
// by induction over the run: each rewritten test is reached only in states the walk
// allows, where it does what the loops did. Needs a whole program (cells start at 0);
// anything else is left as it is.
#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "analysis.hpp"
#include "passes/passes.hpp"
#include "pass_util.hpp"

namespace jitbf {

namespace {

using passes::cell_mask;
using passes::cell_value;

// The longest body the pass looks into: nested candidates are each scanned whole, and this
// keeps that linear in the program (real bodies are a few ops).
constexpr std::size_t kMaxBody = 4096;

// One instance: `loop [x] { b1; move s } loop [x+s] { b2; move s }`, where b1 and b2 keep
// p put, never name x+2s, and name x+s only in one `add [x+s] -1` each, outside brackets.
struct Site {
    std::size_t first;           // the first loop's LoopBegin
    std::size_t second;          // the second loop's LoopBegin (the first's end + 1)
    std::size_t second_end;      // the second loop's LoopEnd
    std::size_t clear1, clear2;  // the adds of b1 and b2
    std::int32_t x, s;
    bool apply = true;
};

// Does op `in` name cell `off`?
bool names(const Instr& in, std::int64_t off) {
    return (names_cell(in.op) && in.off == off) || (info(in.op).reads_src && in.src == off);
}

// The add of [t] -1 in body [from, to), if it is the only op there that names t, it is
// outside brackets, and nothing there moves p or names u; else kNoIndex.
std::size_t sole_clear(const std::vector<Instr>& code, std::size_t from, std::size_t to,
                       std::int64_t t, std::int64_t u, int bits) {
    if (to - from > kMaxBody) return kNoIndex;
    std::size_t found = kNoIndex;
    int depth = 0;
    for (std::size_t j = from; j < to; ++j) {
        const Instr& in = code[j];
        if (info(in.op).moves || names(in, u)) return kNoIndex;
        if (names(in, t)) {
            if (found != kNoIndex || depth != 0 || in.op != Op::Add ||
                cell_value(in.arg, bits) != cell_mask(bits))
                return kNoIndex;
            found = j;
        }
        if (opens(in.op)) ++depth;
        if (closes(in.op)) --depth;
    }
    return found;
}

std::optional<Site> site_at(const std::vector<Instr>& code, std::size_t i, int bits) {
    if (code[i].op != Op::LoopBegin) return {};
    const auto end1 = static_cast<std::size_t>(code[i].arg);
    const std::size_t second = end1 + 1;
    if (second >= code.size() || code[second].op != Op::LoopBegin || code[end1 - 1].op != Op::Move)
        return {};
    const std::int64_t x = code[i].off, s = code[end1 - 1].arg;
    const std::int64_t t = x + s, u = x + 2 * s;
    const auto end2 = static_cast<std::size_t>(code[second].arg);
    if (!passes::offset_fits(u) || code[end1].off != x || code[second].off != t ||
        code[end2].off != t || code[end2 - 1].op != Op::Move || code[end2 - 1].arg != s)
        return {};
    const std::size_t clear1 = sole_clear(code, i + 1, end1 - 1, t, u, bits);
    const std::size_t clear2 = sole_clear(code, second + 1, end2 - 1, t, u, bits);
    if (clear1 == kNoIndex || clear2 == kNoIndex) return {};
    return Site{i,
                second,
                end2,
                clear1,
                clear2,
                static_cast<std::int32_t>(x),
                static_cast<std::int32_t>(s)};
}

// For each opening bracket: 1 when p is where it was at the `[` every time the body ends
// (no scan, moves that add up to 0, every bracket inside the same), so the walk can follow
// it; moves within the body are just offsets then.
std::vector<char> moving(const std::vector<Instr>& code) {
    std::vector<char> moves(code.size(), 0);
    std::vector<std::pair<std::size_t, std::int64_t>> open;  // bracket, net move so far
    for (std::size_t i = 0; i < code.size(); ++i) {
        const Instr& in = code[i];
        if (opens(in.op)) {
            open.emplace_back(i, 0);
        } else if (closes(in.op)) {
            const auto [b, net] = open.back();
            open.pop_back();
            if (net != 0) moves[b] = 1;
            if (moves[b] && !open.empty()) moves[open.back().first] = 1;
        } else if (!open.empty()) {
            if (in.op == Op::Move)
                open.back().second += in.arg;
            else if (info(in.op).moves)
                moves[open.back().first] = 1;
        }
    }
    return moves;
}

// What is known of the cells, by offset from where p was when the pointer was last known:
// a constant, or unknown; cells not listed hold 0 (`zero`, from the fresh tape) or are
// unknown. A sorted vector: states are copied at every if and loop, and stay small.
class State {
public:
    using Value = std::optional<std::uint64_t>;

    Value get(std::int64_t k) const {
        const auto it = find(k);
        if (it != vals_.end() && it->first == k) return it->second;
        return zero_ ? Value{0} : std::nullopt;
    }
    void set(std::int64_t k, Value v) {
        const auto it = find(k);
        const bool listed = it != vals_.end() && it->first == k;
        if (zero_ ? v == 0 : !v) {
            if (listed) vals_.erase(it);
        } else if (listed) {
            it->second = v;
        } else {
            vals_.insert(it, {k, v});
        }
    }
    // Nothing known, from a pointer that is somewhere else (or the same: keep `shift`).
    void forget(bool new_frame) {
        zero_ = false;
        vals_.clear();
        if (new_frame) shift = 0;
    }
    void start_zero() { zero_ = true; }
    // What holds on both paths (both at the same pointer); whether that loses anything. One
    // merge of the two sorted lists, a cell not listed on one side having its default there.
    bool join(const State& other) {
        const bool zero = zero_ && other.zero_;
        const Value mine = zero_ ? Value{0} : std::nullopt;
        const Value theirs = other.zero_ ? Value{0} : std::nullopt;
        std::vector<std::pair<std::int64_t, Value>> out;
        out.reserve(std::max(vals_.size(), other.vals_.size()));
        auto keep = [&](std::int64_t k, const Value& a, const Value& b) {
            const Value v = a == b ? a : std::nullopt;
            if (zero ? v != 0 : v.has_value()) out.emplace_back(k, v);
        };
        auto i = vals_.cbegin();
        auto j = other.vals_.cbegin();
        while (i != vals_.cend() || j != other.vals_.cend()) {
            if (j == other.vals_.cend() || (i != vals_.cend() && i->first < j->first)) {
                keep(i->first, i->second, theirs);
                ++i;
            } else if (i == vals_.cend() || j->first < i->first) {
                keep(j->first, mine, j->second);
                ++j;
            } else {
                keep(i->first, i->second, j->second);
                ++i, ++j;
            }
        }
        const bool changed = zero != zero_ || out != vals_;
        zero_ = zero;
        vals_ = std::move(out);
        return changed;
    }
    std::size_t size() const { return vals_.size(); }

    std::int64_t shift = 0;  // p's offset from the frame's origin

private:
    std::vector<std::pair<std::int64_t, Value>>::iterator find(std::int64_t k) {
        return std::lower_bound(vals_.begin(), vals_.end(), k,
                                [](const auto& e, std::int64_t key) { return e.first < key; });
    }
    std::vector<std::pair<std::int64_t, Value>>::const_iterator find(std::int64_t k) const {
        return std::lower_bound(vals_.begin(), vals_.end(), k,
                                [](const auto& e, std::int64_t key) { return e.first < key; });
    }

    bool zero_ = false;
    std::vector<std::pair<std::int64_t, Value>> vals_;
};

// The forward walk that proves the sites' conditions (see the header comment): classic
// dataflow, where each loop keeps the state at its start from one walk of the whole program to
// the next, joined with what reaches it, until a walk changes none. Each walk is linear and
// each change loses a fact, so real programs settle in a few walks; one that does not within
// kMaxWalks (or a bound on the work), or meets a bracket it does not know, proves nothing.
// Every walk checks the sites; the checks of the last one, which changed nothing, are the
// answer. The ops it computes with have their cases; the rest it reads from the op table.
//
// Most loops settle long before the program does, and a walk that starts a settled loop's
// body from the same state walks it as the last one did, to the same end and the same
// checks: so a loop remembers whether its last walk changed nothing and what that walk
// cost, and when what reaches it leaves its start state as it was, it is stepped over, its
// checks kept and its cost counted as if walked (the bounds then fall as before). Without
// this every walk went through every body, and the pass was most of a compile.
class Prover {
public:
    static constexpr int kMaxWalks = 32;

    Prover(const std::vector<Instr>& code, const std::vector<std::size_t>& site_of,
           const std::vector<Site>& sites, int bits)
        : code_(code),
          site_of_(site_of),
          sites_(sites),
          moves_(moving(code)),
          bits_(bits),
          budget_(256 * code.size() + (std::size_t{1} << 20)),
          proven_(sites.size(), 1) {
        for (std::size_t i = 0; i < code.size(); ++i)
            if (code[i].op == Op::LoopBegin) begins_.push_back(i);
        loops_.resize(begins_.size());
    }

    // For each site, whether its conditions hold.
    std::vector<char> prove() {
        for (int n = 0; n < kMaxWalks && work_ < budget_ && !lost_; ++n) {
            const std::size_t changes = changes_;
            State st;
            st.start_zero();
            walk(0, code_.size(), st);
            if (changes_ == changes && work_ < budget_ && !lost_) return proven_;
        }
        return std::vector<char>(sites_.size(), 0);
    }

private:
    void walk(std::size_t from, std::size_t to, State& st) {
        for (std::size_t i = from; i < to; ++i) {
            const Instr& in = code_[i];
            const std::int64_t k = st.shift + in.off;
            work_ += 1 + st.size();  // the copies and joins at brackets
            if (site_of_[i] != kNoIndex) check_site(i, st);
            switch (in.op) {
            case Op::Add: {
                const auto v = st.get(k);
                st.set(k, v ? std::optional((*v + cell_value(in.arg, bits_)) & cell_mask(bits_))
                            : std::nullopt);
                break;
            }
            case Op::Set: st.set(k, cell_value(in.arg, bits_)); break;
            case Op::MulAdd: {
                const auto src = st.get(st.shift + in.src), dst = st.get(k);
                if (src == 0) break;
                st.set(k, src && dst ? std::optional((*dst + *src * cell_value(in.arg, bits_)) &
                                                     cell_mask(bits_))
                                     : std::nullopt);
                break;
            }
            case Op::Move: st.shift += in.arg; break;
            case Op::Scan:
                st.forget(true);
                st.set(in.off, 0);
                break;
            case Op::LoopBegin: i = loop(i, st); break;
            case Op::IfBegin: i = if_(i, st); break;
            case Op::LoopEnd:
            case Op::IfEnd: assert(false && "walked over by its opening bracket"); break;
            default: other(in, st); break;  // I/O, checks, dumps (see other())
            }
        }
    }

    // An op the walk knows only by its row in the op table, which says all it does to the
    // tape: a cell it writes or may write is unknown after it, and so is every cell after it
    // moves p, from a pointer nobody knows. A bracket the walk does not know could repeat or
    // skip its body any way: the walk proves nothing then. This is what lets a new op in
    // before anyone teaches the walk what it computes.
    void other(const Instr& in, State& st) {
        const OpInfo& op = info(in.op);
        if (op.bracket != Bracket::None)
            lost_ = true;
        else if (op.moves)
            st.forget(true);
        else if (op.cell == Access::ReadWrite || op.cell == Access::Write)
            st.set(st.shift + in.off, std::nullopt);
    }

    // What a walk keeps of a loop for the next.
    struct Loop {
        std::optional<State> head;  // the state at the body's start (unless it moves p)
        bool settled = false;       // the last walk of the body changed nothing
        std::size_t work = 0;       // what that walk added to work_
    };

    // Joins `st` into the loop's start state; returns whether that changed it.
    bool merge(std::optional<State>& head, const State& st) {
        if (!head)
            head = st;
        else if (!head->join(st))
            return false;
        ++changes_;
        return true;
    }

    // Walks the body from `start` unless the loop has settled; notes whether it settles.
    void walk_body(std::size_t i, Loop& l, const State& start) {
        if (l.settled) {
            work_ += l.work;
            return;
        }
        const std::size_t changes = changes_, work = work_;
        State st = start;
        walk(i + 1, static_cast<std::size_t>(code_[i].arg), st);
        if (l.head) merge(l.head, st);
        l.settled = changes_ == changes;
        l.work = work_ - work;
    }

    // Returns the index of the loop's end.
    std::size_t loop(std::size_t i, State& st) {
        const auto end = static_cast<std::size_t>(code_[i].arg);
        Loop& l = loops_[static_cast<std::size_t>(
            std::lower_bound(begins_.begin(), begins_.end(), i) - begins_.begin())];
        if (moves_[i]) {  // the body starts at the `]`'s pointer too: nothing known
            st.forget(true);
            walk_body(i, l, st);
            st.set(code_[end].off, 0);
            return end;
        }
        if (merge(l.head, st)) l.settled = false;
        walk_body(i, l, *l.head);
        st = *l.head;
        st.set(st.shift + code_[end].off, 0);
        return end;
    }

    std::size_t if_(std::size_t i, State& st) {
        const auto end = static_cast<std::size_t>(code_[i].arg);
        State body = st;
        walk(i + 1, end, body);
        if (moves_[i]) {
            st.forget(true);
            return end;
        }
        st.set(st.shift + code_[i].off, 0);  // skipped: the cell was 0
        st.join(body);
        return end;
    }

    // At a rewritten site's first if: t = 1 and u = 0.
    void check_site(std::size_t i, const State& st) {
        const Site& site = sites_[site_of_[i]];
        const std::int64_t x = st.shift + site.x;
        proven_[site_of_[i]] = st.get(x + site.s) == 1 && st.get(x + 2 * site.s) == 0;
    }

    const std::vector<Instr>& code_;
    const std::vector<std::size_t>& site_of_;
    const std::vector<Site>& sites_;
    const std::vector<char> moves_;
    const int bits_;
    const std::size_t budget_;         // of work_: far beyond what real programs take
    std::size_t work_ = 0;             // ops walked, plus the cells of the states they copied
    std::vector<std::size_t> begins_;  // the LoopBegins, in order
    std::vector<Loop> loops_;          // by begins_
    std::size_t changes_ = 0;          // of loops' start states, ever
    bool lost_ = false;                // met a bracket it cannot follow (other())
    std::vector<char> proven_;         // by site: the last check of its conditions
};

// The code with the sites marked `apply` rewritten; site_of[j] names the site whose first if
// is op j of the result.
class Builder {
public:
    Builder(const std::vector<Instr>& code, const std::vector<Site>& sites)
        : code_(code), sites_(sites), at_(code.size(), kNoIndex), clear_(code.size(), kNoIndex) {
        for (std::size_t n = 0; n < sites.size(); ++n) {
            at_[sites[n].first] = n;
            clear_[sites[n].clear1] = clear_[sites[n].clear2] = n;
        }
    }

    // Overwrites `out` and `site_of`, keeping their memory: the rounds build into the same.
    void build(std::vector<Instr>& out, std::vector<std::size_t>& site_of) {
        out_ = &out;
        site_of_ = &site_of;
        out.clear();
        site_of.clear();
        out.reserve(code_.size() + sites_.size());  // each site adds an op
        site_of.reserve(code_.size() + sites_.size());
        copy(0, code_.size());
    }

private:
    void copy(std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            if (clear_[i] != kNoIndex && sites_[clear_[i]].apply) {
                emit(instr(Op::Set, code_[i].off, 0).at(code_[i].pos), kNoIndex);  // it held 1
                continue;
            }
            const std::size_t n = at_[i];
            if (n == kNoIndex || !sites_[n].apply) {
                emit(code_[i], kNoIndex);
                continue;
            }
            const Site& s = sites_[n];
            const std::size_t end1 = s.second - 1;
            const std::int32_t t = s.x + s.s, u = s.x + 2 * s.s;
            emit(instr(Op::IfBegin, s.x).at(code_[s.first].pos), n);
            copy(s.first + 1, end1 - 1);
            emit(instr(Op::Check, u).at(code_[s.second].pos), kNoIndex);
            emit(instr(Op::IfEnd).at(code_[end1].pos), kNoIndex);
            emit(instr(Op::IfBegin, t).at(code_[s.second].pos), kNoIndex);
            copy(s.second + 1, s.second_end - 1);
            emit(instr(Op::Check, u).at(code_[s.second_end].pos), kNoIndex);
            emit(instr(Op::IfEnd).at(code_[s.second_end].pos), kNoIndex);
            emit(instr(Op::Move, 0, s.s).at(code_[s.second_end - 1].pos), kNoIndex);
            i = s.second_end;
        }
    }

    void emit(const Instr& in, std::size_t site) {
        out_->push_back(in);
        site_of_->push_back(site);
    }

    const std::vector<Instr>& code_;
    const std::vector<Site>& sites_;
    std::vector<std::size_t> at_;     // by op of the input: the site starting there
    std::vector<std::size_t> clear_;  // by op of the input: the site whose add of t it is
    std::vector<Instr>* out_ = nullptr;
    std::vector<std::size_t>* site_of_ = nullptr;
};

}  // namespace

Program static_zero_tests(Program prog, const Options& opts) {
    if (!prog.standalone) return prog;
    std::vector<Site> sites;
    for (std::size_t i = 0; i < prog.code.size(); ++i)
        if (std::optional<Site> s = site_at(prog.code, i, opts.cell_bits)) sites.push_back(*s);
    if (sites.empty()) return prog;
    Builder builder(prog.code, sites);
    // Each round undoes at least one site or ends; a few rounds settle real programs, and a
    // program that takes more keeps its code.
    Program out;
    std::vector<std::size_t> site_of;
    for (int round = 0; round < 6; ++round) {
        builder.build(out.code, site_of);
        relink(out);
        const std::vector<char> proven = Prover(out.code, site_of, sites, opts.cell_bits).prove();
        bool undone = false;
        for (std::size_t n = 0; n < sites.size(); ++n) {
            if (sites[n].apply && !proven[n]) {
                sites[n].apply = false;
                undone = true;
            }
        }
        if (undone) continue;
        if (std::none_of(sites.begin(), sites.end(), [](const Site& s) { return s.apply; }))
            return prog;
        out.strings = std::move(prog.strings);
        out.standalone = prog.standalone;
        return defer_moves(std::move(out), opts);
    }
    return prog;
}

}  // namespace jitbf
