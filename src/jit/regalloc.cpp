// The register plan (see regalloc.hpp): in each region (regions.cpp finds them) the cells'
// homes, their load and store points, and a register for each by linear scan.
#include "regalloc.hpp"

#include <algorithm>
#include <cassert>
#include <optional>
#include <unordered_map>
#include <utility>

#include "shape.hpp"

namespace jitbf::jit {

// Named, not anonymous: RegisterPlan::Impl holds a RegionPlanner.
namespace plan_detail {

enum class Kind : std::uint8_t { Root, If, Loop };

struct Scope {
    Kind kind;
    std::size_t parent;  // kNoIndex for the root
    std::size_t open, close;
    std::size_t level;  // in the tree: the root is 0
    std::size_t loops;  // loop scopes from the root to this one, itself included
    std::size_t loop;   // the innermost loop scope, itself included (kNoIndex: none)
};

struct Use {
    std::int64_t cell;
    std::size_t index;  // of the cell, in cells_
    std::size_t op;
    std::size_t scope;
    Access access;
};

struct Cell {
    std::size_t first;  // index of its first use
    std::size_t last;   // and of its last
    std::size_t home;
    std::int64_t cost = 0;  // of its uses in memory: loads and stores, a loop's eight times
    bool written = false;
    std::vector<std::size_t> ops = {};  // of its uses, in order
};

// A way to hold one cell in one register: over its home, or over one loop inside it.
struct Candidate {
    Slot slot;
    std::size_t cell;   // in cells_
    std::int64_t gain;  // memory accesses saved, net of its own loads and stores
    std::int64_t edge;  // what one load or store where it starts or ends costs
    std::vector<Hole> holes = {};
    // Its store may sink, over its home's items, up to this op (kNoIndex: it stays put).
    std::size_t sink_limit = kNoIndex;
};

// How far up from a use the loops around it may hold its cell on their own: bounds the plan's
// work on deep nests; the innermost loops, which matter most, come first.
constexpr std::size_t kSplitScopes = 16;

// The most ops between two uses of a cell that one stretch of its home holds (see
// add_stretch_candidates).
constexpr std::size_t kStretchGap = 8;

// Memory accesses of one use: a load, a store, or both.
std::int64_t accesses(Access a) { return a == Access::ReadWrite ? 2 : 1; }

bool writes(Access a) { return a == Access::Write || a == Access::ReadWrite; }

// How often code at this loop depth runs, against code outside loops (a guess: 8 per loop).
std::int64_t frequency(std::size_t loops) {
    return std::int64_t{1} << (3 * std::min<std::size_t>(loops, 3));
}

std::size_t common_scope(const std::vector<Scope>& scopes, std::size_t a, std::size_t b) {
    while (scopes[a].level > scopes[b].level) a = scopes[a].parent;
    while (scopes[b].level > scopes[a].level) b = scopes[b].parent;
    while (a != b) {
        a = scopes[a].parent;
        b = scopes[b].parent;
    }
    return a;
}

class RegionPlanner {
public:
    RegionPlanner(const Program& prog, int bits, std::size_t registers)
        : prog_(prog), bits_(bits), registers_(registers) {}

    Region plan(std::size_t begin, std::size_t end) {
        Region r;
        r.begin = begin;
        r.end = end;
        scopes_.assign(1, Scope{Kind::Root, kNoIndex, begin, end, 0, 0, kNoIndex});
        uses_.clear();
        collect(r);
        std::vector<Candidate> candidates;
        for (std::size_t k = 0; k < cells_.size(); ++k) {
            const Slot s = slot_for(cells_[k], end);
            // In a register: a load where its home starts, a store where it ends, each as
            // often as the home runs.
            const Scope& home = scopes_[home_of(cells_[k])];
            const std::int64_t edge = frequency(home.loops - (home.kind == Kind::Loop));
            const std::int64_t gain =
                cells_[k].cost - ((s.load ? 1 : 0) + (s.written ? 1 : 0)) * edge;
            const std::size_t limit = home.kind == Kind::Loop ? kNoIndex : home.close;
            if (gain > 0) candidates.push_back(Candidate{s, k, gain, edge, {}, limit});
        }
        add_loop_candidates(candidates);
        add_stretch_candidates(candidates);
        allocate(r, std::move(candidates));
        return r;
    }

private:
    void collect(Region& r) {
        std::unordered_map<std::int64_t, std::size_t> index;
        cells_.clear();
        std::vector<std::size_t> stack = {0};
        std::vector<bool> flat;  // per open if: runs without a branch (no scope of its own)
        auto use = [&](std::int64_t cell, std::size_t op, Access access) {
            const std::size_t scope = stack.back();
            r.extent.add(cell);
            const auto [it, added] = index.try_emplace(cell, cells_.size());
            if (added) cells_.push_back(Cell{uses_.size(), uses_.size(), scope});
            Cell& c = cells_[it->second];
            c.last = uses_.size();
            c.ops.push_back(op);
            c.home = common_scope(scopes_, c.home, scope);
            c.cost += accesses(access) * frequency(scopes_[scope].loops);
            c.written = c.written || writes(access);
            uses_.push_back(Use{cell, it->second, op, scope, access});
        };
        auto enter = [&](Kind kind, std::size_t open) {
            const Scope& parent = scopes_[stack.back()];
            const std::size_t id = scopes_.size();
            const std::size_t loops = parent.loops + (kind == Kind::Loop ? 1 : 0);
            scopes_.push_back(
                Scope{kind, stack.back(), open, static_cast<std::size_t>(prog_.code[open].arg),
                      parent.level + 1, loops, kind == Kind::Loop ? id : parent.loop});
            stack.push_back(id);
        };
        for (std::size_t j = r.begin; j < r.end; ++j) {
            const Instr& in = prog_.code[j];
            switch (in.op) {
            case Op::Add: use(in.off, j, Access::ReadWrite); break;
            case Op::Set: use(in.off, j, Access::Write); break;
            case Op::MulAdd:
                use(in.src, j, Access::Read);
                use(in.off, j, Access::ReadWrite);
                break;
            case Op::Check: r.extent.add(in.off); break;
            case Op::LoopBegin:
                enter(Kind::Loop, j);
                use(in.off, j, Access::Read);
                break;
            case Op::LoopEnd:
                use(in.off, j, Access::Read);
                stack.pop_back();
                break;
            case Op::IfBegin:
                flat.push_back(branch_free_cells(prog_, j, bits_).has_value());
                if (flat.back()) {
                    r.extent.add(in.off);  // its body touches the cell first
                } else {
                    use(in.off, j, Access::Read);
                    enter(Kind::If, j);
                }
                break;
            case Op::IfEnd:
                if (!flat.back()) stack.pop_back();
                flat.pop_back();
                break;
            default: assert(!stays_in_region(in) && "no region holds it"); break;
            }
        }
    }

    // The scope where the cell lives in a register: the innermost loop around its uses, if
    // any, else the innermost scope around them.
    std::size_t home_of(const Cell& c) const {
        const std::size_t loop = scopes_[c.home].loop;
        return loop != kNoIndex ? loop : c.home;
    }

    // The item of scope `home` (an op of it, or a whole child bracket) that holds use `u`:
    // its first op and the op after it.
    std::pair<std::size_t, std::size_t> item_of(const Use& u, std::size_t home) const {
        if (u.scope == home) {
            const Instr& in = prog_.code[u.op];
            // An if's test is the if's first op: its body may not run.
            if (in.op == Op::IfBegin) return {u.op, static_cast<std::size_t>(in.arg) + 1};
            return {u.op, u.op + 1};
        }
        std::size_t child = u.scope;
        while (scopes_[child].parent != home) child = scopes_[child].parent;
        return {scopes_[child].open, scopes_[child].close + 1};
    }

    Slot slot_for(Cell c, std::size_t region_end) const {
        c.home = home_of(c);
        const Scope& home = scopes_[c.home];
        Slot s;
        s.cell = uses_[c.first].cell;
        s.written = c.written;
        if (home.kind == Kind::Loop) {
            s.load_before = home.open;  // the loop may not run: its stores need the value
            s.store_before = home.close + 1;
            return s;
        }
        // From the item of the home that holds the first use to the one that holds the last:
        // the register is free before and after (a region's top level or a long if body
        // holds many cells, each used in a stretch of it).
        const Use& first = uses_[c.first];
        s.load_before = item_of(first, c.home).first;
        s.load = first.scope != c.home || first.access != Access::Write;
        s.store_before = std::min(item_of(uses_[c.last], c.home).second,
                                  home.kind == Kind::Root ? region_end : home.close);
        return s;
    }

    // A cell whose home is a loop's parent, or further out, may lose its register there but
    // be worth one in a loop inside that uses it: a candidate for each such loop, with the
    // uses in it.
    void add_loop_candidates(std::vector<Candidate>& out) const {
        struct Part {
            std::size_t cell, loop;
            std::int64_t cost = 0;
            bool written = false;
        };
        std::unordered_map<std::size_t, std::size_t> index;  // cell * scopes + loop -> part
        std::vector<Part> parts;
        for (const Use& u : uses_) {
            const std::size_t home = home_of(cells_[u.index]);
            std::size_t s = u.scope;
            for (std::size_t n = 0; s != home && n < kSplitScopes; ++n, s = scopes_[s].parent) {
                if (scopes_[s].kind != Kind::Loop) continue;
                const auto [it, added] =
                    index.try_emplace(u.index * scopes_.size() + s, parts.size());
                if (added) parts.push_back(Part{u.index, s});
                Part& p = parts[it->second];
                p.cost += accesses(u.access) * frequency(scopes_[u.scope].loops);
                p.written = p.written || writes(u.access);
            }
        }
        for (const Part& p : parts) {
            const Scope& loop = scopes_[p.loop];
            const std::int64_t edge = frequency(loop.loops - 1);
            const std::int64_t gain = p.cost - (1 + (p.written ? 1 : 0)) * edge;
            if (gain <= 0) continue;
            const Slot s{
                uses_[cells_[p.cell].first].cell, 0, loop.open, true, loop.close + 1, p.written};
            out.push_back(Candidate{s, p.cell, gain, edge});
        }
    }

    // A cell used all over its home (a big loop's body) loses its register there to cells
    // used more often, but may be used densely in stretches of it (fractal.b's copies through
    // a temporary cell, at the top level of its main loop): a candidate for each stretch of
    // the home's items that use it with gaps of at most kStretchGap ops between them.
    void add_stretch_candidates(std::vector<Candidate>& out) const {
        struct Stretch {
            std::size_t begin = 0, end = 0;
            std::int64_t cost = 0;
            bool load = true, written = false;
            std::size_t items = 0;
        };
        std::vector<Stretch> open(cells_.size());
        auto flush = [&](std::size_t k) {
            const Stretch& st = open[k];
            if (st.items < 2) return;
            const Cell& c = cells_[k];
            const std::size_t h = home_of(c);
            const Slot whole = slot_for(c, scopes_[0].close);
            if (st.begin == whole.load_before && st.end == whole.store_before) return;
            const std::int64_t edge = frequency(scopes_[h].loops);
            const std::int64_t gain = st.cost - ((st.load ? 1 : 0) + (st.written ? 1 : 0)) * edge;
            if (gain <= 0) return;
            const Slot slot{uses_[c.first].cell, 0, st.begin, st.load, st.end, st.written};
            out.push_back(Candidate{slot, k, gain, edge, {}, scopes_[h].close});
        };
        for (const Use& u : uses_) {
            const std::size_t h = home_of(cells_[u.index]);
            const auto [begin, end] = item_of(u, h);
            Stretch& st = open[u.index];
            if (st.items == 0 || begin > st.end + kStretchGap) {
                flush(u.index);
                st = Stretch{begin, end, 0, u.scope != h || u.access != Access::Write, false, 1};
            } else if (begin >= st.end) {
                ++st.items;
            }
            st.end = std::max(st.end, end);
            st.cost += accesses(u.access) * frequency(scopes_[u.scope].loops);
            st.written = st.written || writes(u.access);
        }
        for (std::size_t k = 0; k < cells_.size(); ++k) flush(k);
    }

    bool used_in(std::size_t cell, std::size_t begin, std::size_t end) const {
        const std::vector<std::size_t>& ops = cells_[cell].ops;
        const auto at = std::lower_bound(ops.begin(), ops.end(), begin);
        return at != ops.end() && *at < end;
    }

    // Linear scan over intervals [load_before, store_before), by their starts, the longest
    // first (those of different homes nest or are disjoint; those of one home may overlap). When
    // the registers run out, a candidate takes one from a cell held around it that it gains more
    // than: the cell is left in memory over the candidate's interval (a hole, when that cell is not
    // used there: a store and a load, as often as the candidate's ends run) or over its whole home
    // (the lightest cell of all).
    void allocate(Region& r, std::vector<Candidate> cands) const {
        std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
            if (a.slot.load_before != b.slot.load_before)
                return a.slot.load_before < b.slot.load_before;
            if (a.slot.store_before != b.slot.store_before)
                return a.slot.store_before > b.slot.store_before;
            if (a.slot.cell != b.slot.cell) return a.slot.cell < b.slot.cell;
            return a.gain > b.gain;
        });
        // Per register, the candidates holding it, the one using it now last: those below
        // lend it over a hole.
        std::vector<std::vector<std::size_t>> held(registers_);
        std::vector<char> kept(cands.size(), 0), lending(cands.size(), 0);
        std::vector<std::size_t> holder(cells_.size(), kNoIndex);  // of each cell, if any
        // Per register, where its last holder stored its cell: a free register is taken in
        // the order they were freed, so a store just made can sink (sink_store).
        std::vector<std::size_t> freed(registers_, 0);
        auto expire = [&](std::size_t at) {
            for (std::size_t q = 0; q < registers_; ++q) {
                std::vector<std::size_t>& stack = held[q];
                while (!stack.empty()) {
                    const std::size_t top = stack.back();
                    if (lending[top]) {
                        if (cands[top].holes.back().end > at) break;
                        lending[top] = 0;
                    } else {
                        if (cands[top].slot.store_before > at) break;
                        holder[cands[top].cell] = kNoIndex;
                        freed[q] = cands[top].slot.store_before;
                        stack.pop_back();
                    }
                }
            }
        };
        // Is candidate o's cell in memory, over its last hole, until op `begin` or later?
        // Lending the register on from there costs nothing more and must lengthen that hole:
        // a second hole begun inside it would store the cell from a register that no longer
        // holds it. (A holder is in its hole still when the candidate it lent to lost the
        // register to a shorter one, which then ended before the hole.)
        auto lends_up_to = [](const Candidate& o, std::size_t begin) {
            return !o.holes.empty() && o.holes.back().end >= begin;
        };
        for (std::size_t k = 0; k < cands.size(); ++k) {
            Candidate& c = cands[k];
            const std::size_t begin = c.slot.load_before, end = c.slot.store_before;
            expire(begin);
            if (holder[c.cell] != kNoIndex) continue;  // held around it already
            std::size_t reg = kNoIndex;
            // (Intervals of one home overlap: a hole taken over must hold the candidate.)
            for (std::size_t q = 0; q < registers_; ++q)
                if (held[q].empty() && (reg == kNoIndex || freed[q] < freed[reg])) reg = q;
            for (std::size_t q = 0; q < registers_ && reg == kNoIndex; ++q)
                if (lending[held[q].back()] && cands[held[q].back()].holes.back().end >= end)
                    reg = q;
            if (reg == kNoIndex) {
                std::int64_t least = c.gain;  // what taking a register may cost
                bool hole = false;
                for (std::size_t q = 0; q < registers_; ++q) {
                    const Candidate& o = cands[held[q].back()];
                    // Taken from a cell in a hole, the register must be free as long.
                    const std::size_t n = held[q].size();
                    const bool fits = n < 2 || cands[held[q][n - 2]].holes.back().end >= end;
                    if (o.gain < least && fits) {
                        least = o.gain;
                        reg = q;
                        hole = false;
                    }
                    if (o.slot.load_before >= begin || o.slot.store_before < end ||
                        used_in(o.cell, begin, end))
                        continue;
                    const std::int64_t cost =
                        lends_up_to(o, begin) ? 0 : (1 + (o.slot.written ? 1 : 0)) * c.edge;
                    if (cost < least) {
                        least = cost;
                        reg = q;
                        hole = true;
                    }
                }
                if (reg == kNoIndex) continue;
                const std::size_t o = held[reg].back();
                Candidate& other = cands[o];
                if (hole) {
                    if (lends_up_to(other, begin))
                        other.holes.back().end = std::max(other.holes.back().end, end);
                    else
                        other.holes.push_back(Hole{other.slot.cell, begin, end});
                    lending[o] = 1;
                } else {
                    kept[o] = 0;
                    holder[other.cell] = kNoIndex;
                    held[reg].pop_back();
                }
            }
            c.slot.reg = reg;
            held[reg].push_back(k);
            kept[k] = 1;
            holder[c.cell] = k;
        }
        for (std::size_t k = 0; k < cands.size(); ++k) {
            if (!kept[k]) continue;
            sink_store(cands, kept, k);
            r.slots.push_back(cands[k].slot);
            r.holes.insert(r.holes.end(), cands[k].holes.begin(), cands[k].holes.end());
        }
        std::stable_sort(r.holes.begin(), r.holes.end(),
                         [](const Hole& a, const Hole& b) { return a.begin < b.begin; });
    }

    // A store after a cell's last use frees its register for the cells after it; when none
    // takes it, the store moves on, item by item of the home, to where the register is taken,
    // the cell is used again or the home ends. (A byte stored just before a load of the next
    // byte measured 9% slower on fibtable.b than storing both where the region ends.)
    void sink_store(std::vector<Candidate>& cands, const std::vector<char>& kept,
                    std::size_t k) const {
        Candidate& c = cands[k];
        if (c.sink_limit == kNoIndex) return;
        const std::size_t from = c.slot.store_before;
        std::size_t until = c.sink_limit;
        const std::vector<std::size_t>& ops = cells_[c.cell].ops;
        const auto next_use = std::lower_bound(ops.begin(), ops.end(), from);
        if (next_use != ops.end()) until = std::min(until, *next_use);
        for (std::size_t q = 0; q < cands.size(); ++q) {
            if (!kept[q] || q == k) continue;
            const Candidate& o = cands[q];
            if (o.slot.reg == c.slot.reg && o.slot.load_before >= from)
                until = std::min(until, o.slot.load_before);
            if (o.cell == c.cell && o.slot.load_before >= from)
                until = std::min(until, o.slot.load_before);
            for (const Hole& h : o.holes)
                if (o.slot.reg == c.slot.reg && h.end >= from) until = std::min(until, h.end);
        }
        std::size_t j = from;
        while (j < until) {
            const Instr& in = prog_.code[j];
            const std::size_t after = opens(in.op) ? static_cast<std::size_t>(in.arg) + 1 : j + 1;
            if (after > until) break;
            j = after;
        }
        c.slot.store_before = j;
    }

    const Program& prog_;
    const int bits_;
    const std::size_t registers_;
    std::vector<Scope> scopes_;
    std::vector<Use> uses_;
    std::vector<Cell> cells_;
};

}  // namespace plan_detail

struct RegisterPlan::Impl {
    Impl(const Program& p, int bits, std::size_t registers)
        : prog(p), spans(p), planner(p, bits, registers) {}
    const Program& prog;
    RegionSpans spans;
    plan_detail::RegionPlanner planner;
    Region region;  // the one next() returned last
};

RegisterPlan::RegisterPlan(const Program& prog, int bits, std::size_t registers)
    : impl_(std::make_unique<Impl>(prog, bits, registers)) {}
RegisterPlan::~RegisterPlan() = default;

const Region* RegisterPlan::next() {
    Impl& m = *impl_;
    while (const std::optional<OpSpan> span = m.spans.next()) {
        m.region = m.planner.plan(span->begin, span->end);
        if (!m.region.slots.empty()) return &m.region;
    }
    return nullptr;
}

std::vector<Region> plan_registers(const Program& prog, int bits, std::size_t registers) {
    RegisterPlan plan(prog, bits, registers);
    std::vector<Region> regions;
    while (const Region* r = plan.next()) regions.push_back(*r);
    return regions;
}

}  // namespace jitbf::jit
