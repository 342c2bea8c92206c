#include "lead_committer.hpp"

namespace lr::milter {

Result<std::optional<store::StoredLead>> LeadCommitter::store(const store::InboundMessage& message,
                                                              const store::NewLead& lead) {
    Job job{{&message, &lead}, std::nullopt};
    std::unique_lock lock(m_mutex);
    m_waiting.push_back(&job);
    while (!job.result) {
        if (m_committing) {
            m_done.wait(lock);
            continue;
        }
        // Nobody commits: this caller takes what waits (its own job first
        // in line or behind earlier ones) and commits it.
        m_committing = true;
        std::vector<Job*> batch;
        while (!m_waiting.empty() && batch.size() < m_max_batch) {
            batch.push_back(m_waiting.front());
            m_waiting.pop_front();
        }
        lock.unlock();
        commit(batch);
        lock.lock();
        m_committing = false;
        m_done.notify_all(); // the batch's callers return, one of the rest commits next
    }
    return std::move(*job.result);
}

size_t LeadCommitter::waiting() {
    std::lock_guard lock(m_mutex);
    return m_waiting.size();
}

void LeadCommitter::commit(const std::vector<Job*>& batch) {
    if (batch.size() == 1) {
        commit_one_by_one(batch);
        return;
    }
    std::vector<store::NewLeadRequest> requests;
    for (const Job* job : batch)
        requests.push_back(job->request);
    bool connected = false;
    auto stored = [&]() -> Result<std::vector<std::optional<store::StoredLead>>> {
        auto connection = m_pool.take();
        if (!connection)
            return connection.error();
        connected = true;
        auto written = store::store_new_leads(**connection, requests);
        if (!written)
            connection->discard();
        return written; // the connection is back before anything else is taken
    }();
    if (!stored && !connected) { // no connection (database away, or all busy): 451 for all
        for (Job* job : batch)
            job->result = stored.error();
        return;
    }
    if (!stored) {
        // Nothing of the batch was written. One bad message must not fail
        // the others: each alone, with its own result.
        commit_one_by_one(batch);
        return;
    }
    for (size_t index = 0; index < batch.size(); ++index)
        batch[index]->result = std::move((*stored)[index]);
}

void LeadCommitter::commit_one_by_one(const std::vector<Job*>& batch) {
    for (Job* job : batch) {
        auto connection = m_pool.take();
        if (!connection) {
            job->result = connection.error();
            continue;
        }
        job->result =
            store::store_new_lead(**connection, *job->request.message, *job->request.lead);
        if (!*job->result)
            connection->discard();
    }
}

} // namespace lr::milter
