"""The topic → handler table: every external task of bpmn/ has exactly one entry."""

from workers import (
    apply_extension,
    assess_completeness,
    check_extension_request,
    dispatch_payment,
    escalate_overdue,
    issue_recognition_document,
    notify_enterprise,
    open_decision_stage,
    prepare_acceptance,
    prepare_result_notice,
    publish_announcement,
    record_decision,
    record_payment_confirmation,
    register_supplement,
    remind_municipal_follow_up,
    route_application,
    send_correction_notice,
    send_municipal_report,
    send_supervision_opinion,
    send_supplement_notice,
    summarise_expert_reviews,
)

HANDLERS = {
    module.TOPIC: module.handle
    for module in (
        prepare_acceptance,
        assess_completeness,
        send_supplement_notice,
        route_application,
        send_correction_notice,
        register_supplement,
        open_decision_stage,
        summarise_expert_reviews,
        record_decision,
        issue_recognition_document,
        publish_announcement,
        dispatch_payment,
        record_payment_confirmation,
        send_municipal_report,
        remind_municipal_follow_up,
        prepare_result_notice,
        notify_enterprise,
        escalate_overdue,
        send_supervision_opinion,
        check_extension_request,
        apply_extension,
    )
}
