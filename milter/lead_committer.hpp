// Group commit for new leads, the milter's common case: messages whose
// end arrives while another batch is being committed wait for it and then
// go together, in one round trip and one commit (libpq pipeline mode),
// instead of queueing for one disk flush each. Every caller still returns
// only after its own message is committed: durable as before, fewer
// flushes and wake-ups per message under load, and at one message at a
// time the same single statement as without it. The first waiting caller
// commits the batch itself (no hand-off to another thread).
#pragma once

#include "store/connection_pool.hpp"
#include "store/inbound_store.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>

namespace lr::milter {

class LeadCommitter {
public:
    explicit LeadCommitter(store::ConnectionPool& pool, size_t max_batch = 32)
        : m_pool(pool), m_max_batch(max_batch) {}

    // store::store_new_lead's result for this message, once committed.
    Result<std::optional<store::StoredLead>> store(const store::InboundMessage& message,
                                                   const store::NewLead& lead);
    size_t waiting(); // callers waiting for a commit to begin

private:
    struct Job {
        store::NewLeadRequest request;
        std::optional<Result<std::optional<store::StoredLead>>> result;
    };
    void commit(const std::vector<Job*>& batch);
    void commit_one_by_one(const std::vector<Job*>& batch);

    store::ConnectionPool& m_pool;
    const size_t m_max_batch;
    std::mutex m_mutex;
    std::condition_variable m_done;
    std::deque<Job*> m_waiting;
    bool m_committing = false;
};

} // namespace lr::milter
