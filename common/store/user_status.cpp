#include "store/user_status.hpp"

namespace lr::store {

Result<UserStatus> load_user_status(Connection& connection, const std::string& dealer_id) {
    UserStatus status;
    auto absent = connection.exec("SELECT DISTINCT user_id FROM absences WHERE dealer_id = $1 "
                                  "AND starts_at <= now() AND ends_at > now()",
                                  {dealer_id});
    if (!absent)
        return absent.error();
    for (int i = 0; i < absent->size(); ++i)
        status.absent_now.insert(absent->text(i, 0));

    auto open =
        connection.exec("SELECT assignee, count(*) FROM leads WHERE dealer_id = $1 "
                        "AND state IN ('new', 'assigned', 'responded') AND assignee IS NOT NULL "
                        "GROUP BY assignee",
                        {dealer_id});
    if (!open)
        return open.error();
    for (int i = 0; i < open->size(); ++i)
        status.open_leads[open->text(i, 0)] = open->integer(i, 1);
    return status;
}

} // namespace lr::store
