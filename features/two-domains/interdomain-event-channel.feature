@two-domains @events
Feature: An interdomain event channel between two guests
  Guest A allocates an unbound port that names guest B (alloc_unbound); B binds to it
  (bind_interdomain), and the new local port is set pending at once. Then either end's send marks
  the other end's port pending. status reports unbound with the remote domain, or interdomain with
  the remote domain and port. Closing one end reverts the other to unbound. Binding to a port that
  is reserved for a different domain is -EINVAL, and to an unknown domain -ESRCH (§10.1, §9.2).

  Background:
    Given two PVH guests A and B running the agent stub
    When guest A calls event_channel_op (32) with EVTCHNOP_alloc_unbound (6) and this evtchn_alloc_unbound:
      | dom        | 0x7FF0 |
      | remote_dom | $domB  |
    Then the call returns 0
    And guest A keeps port of the evtchn_alloc_unbound as $portA

  @spec-10.1
  Scenario: The unbound port names the domain that may bind to it
    When guest A calls event_channel_op (32) with EVTCHNOP_status (5) and this evtchn_status:
      | dom  | 0x7FF0 |
      | port | $portA |
    Then the call returns 0
    And the evtchn_status the guest got back has status = 1
    And the evtchn_status the guest got back has remote_dom = $domB

  @spec-10.1
  Scenario: bind_interdomain connects both ends and marks the new local port pending
    When guest B calls event_channel_op (32) with EVTCHNOP_bind_interdomain (0) and this evtchn_bind_interdomain:
      | remote_dom  | $domA  |
      | remote_port | $portA |
    Then the call returns 0
    And guest B keeps local_port of the evtchn_bind_interdomain as $portB
    And guest B sees port $portB pending in its shared_info
    When guest B calls event_channel_op (32) with EVTCHNOP_status (5) and this evtchn_status:
      | dom  | 0x7FF0 |
      | port | $portB |
    Then the evtchn_status the guest got back has status = 2
    And the evtchn_status the guest got back has remote_dom = $domA
    And the evtchn_status the guest got back has remote_port = $portA
    When guest A calls event_channel_op (32) with EVTCHNOP_status (5) and this evtchn_status:
      | dom  | 0x7FF0 |
      | port | $portA |
    Then the evtchn_status the guest got back has status = 2
    And the evtchn_status the guest got back has remote_dom = $domB
    And the evtchn_status the guest got back has remote_port = $portB

  @spec-10.1 @spec-10.3
  Scenario: A send from A marks B's port pending
    When guest B calls event_channel_op (32) with EVTCHNOP_bind_interdomain (0) and this evtchn_bind_interdomain:
      | remote_dom  | $domA  |
      | remote_port | $portA |
    And guest B keeps local_port of the evtchn_bind_interdomain as $portB
    And guest B clears the pending bit of port $portB
    Then guest B sees port $portB not pending in its shared_info
    When guest A calls event_channel_op (32) with EVTCHNOP_send (4) and this evtchn_send:
      | port | $portA |
    Then the call returns 0
    And guest B sees port $portB pending in its shared_info

  @spec-10.1 @spec-10.3
  Scenario: A send from B marks A's port pending
    When guest B calls event_channel_op (32) with EVTCHNOP_bind_interdomain (0) and this evtchn_bind_interdomain:
      | remote_dom  | $domA  |
      | remote_port | $portA |
    And guest B keeps local_port of the evtchn_bind_interdomain as $portB
    Then guest A sees port $portA not pending in its shared_info
    When guest B calls event_channel_op (32) with EVTCHNOP_send (4) and this evtchn_send:
      | port | $portB |
    Then the call returns 0
    And guest A sees port $portA pending in its shared_info

  @spec-10.1
  Scenario: Closing B's end reverts A's end to unbound, naming B
    When guest B calls event_channel_op (32) with EVTCHNOP_bind_interdomain (0) and this evtchn_bind_interdomain:
      | remote_dom  | $domA  |
      | remote_port | $portA |
    And guest B keeps local_port of the evtchn_bind_interdomain as $portB
    And guest B calls event_channel_op (32) with EVTCHNOP_close (3) and this evtchn_close:
      | port | $portB |
    Then the call returns 0
    When guest A calls event_channel_op (32) with EVTCHNOP_status (5) and this evtchn_status:
      | dom  | 0x7FF0 |
      | port | $portA |
    Then the evtchn_status the guest got back has status = 1
    And the evtchn_status the guest got back has remote_dom = $domB

  @spec-10.1
  Scenario: Binding to a port reserved for another domain is -EINVAL
    When guest A calls event_channel_op (32) with EVTCHNOP_alloc_unbound (6) and this evtchn_alloc_unbound:
      | dom        | 0x7FF0 |
      | remote_dom | 0x7FF0 |
    And guest A keeps port of the evtchn_alloc_unbound as $selfPort
    And guest B calls event_channel_op (32) with EVTCHNOP_bind_interdomain (0) and this evtchn_bind_interdomain:
      | remote_dom  | $domA     |
      | remote_port | $selfPort |
    Then the call returns -EINVAL (-22)

  @spec-10.1
  Scenario: Binding to an unknown domain is -ESRCH
    When guest B calls event_channel_op (32) with EVTCHNOP_bind_interdomain (0) and this evtchn_bind_interdomain:
      | remote_dom  | 0x1234 |
      | remote_port | $portA |
    Then the call returns -ESRCH (-3)

  @spec-10.1 @spec-2.3
  Scenario: A domU may not allocate a port in another domain (XSM_TARGET)
    When guest A calls event_channel_op (32) with EVTCHNOP_alloc_unbound (6) and this evtchn_alloc_unbound:
      | dom        | $domB  |
      | remote_dom | 0x7FF0 |
    Then the call returns -EPERM (-1)

  @spec-10.1 @spec-2.3
  Scenario: A domU may not read the status of another domain's port (XSM_TARGET)
    When guest A calls event_channel_op (32) with EVTCHNOP_status (5) and this evtchn_status:
      | dom  | $domB |
      | port | 1     |
    Then the call returns -EPERM (-1)
